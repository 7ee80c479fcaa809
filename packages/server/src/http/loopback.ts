import { isIPv4 } from 'node:net';

const LOOPBACK_HOST_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True for a socket's peer address on this machine: 127.0.0.0/8, `::1`, or 127.x mapped into IPv6
 * (`::ffff:127.0.0.1`, what a dual-stack listener reports for an IPv4 peer).
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const ipv4 = address.toLowerCase().startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIPv4(ipv4)) return ipv4.startsWith('127.');
  return address === '::1';
}

/** True for a host name (no port) that names this machine: `localhost`, `127.0.0.1` or `[::1]`. */
export function isLoopbackHostName(hostname: string): boolean {
  return LOOPBACK_HOST_NAMES.has(hostname.toLowerCase());
}
