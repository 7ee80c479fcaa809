import { isIP } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import ipaddr from 'ipaddr.js';

/** A machine's network interfaces, as `os.networkInterfaces()` lists them. */
export type InterfaceList = NodeJS.Dict<NetworkInterfaceInfo[]>;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an IP address as resolvers and URL parsers write it. ipaddr.js alone would also read shorthand such
 * as `127.1` or `0x7f.0.0.1`; no resolver answers in those forms, so they are not addresses here.
 * An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, `::ffff:7f00:1`) is read as the IPv4 address it carries,
 * since that is where a connection to it goes.
 */
function parseAddress(address: string): Address | undefined {
  if (isIP(address) === 0) return undefined;
  const parsed = ipaddr.parse(address);
  return parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress() ? parsed.toIPv4Address() : parsed;
}

/**
 * True for addresses in ipaddr.js's plain 'unicast' range. Its other ranges (private, loopback, link-local,
 * carrier-grade NAT, multicast, documentation, benchmarking, site-local…) are not the open internet, and
 * NAT64, 6to4 and Teredo addresses tunnel to an IPv4 host this check cannot vouch for. IPv4-compatible
 * addresses (`::7f00:1`, deprecated by RFC 4291) are unicast to ipaddr.js but reach the IPv4 host on some
 * stacks, so they are refused too.
 */
function isGlobalUnicast(address: Address): boolean {
  if (address.range() !== 'unicast') return false;
  return address instanceof ipaddr.IPv4 || address.parts.slice(0, 6).some((part) => part !== 0);
}

function sameAddress(a: Address, b: Address): boolean {
  return a.kind() === b.kind() && String(a.toByteArray()) === String(b.toByteArray());
}

function isOwnAddress(address: Address, interfaces: InterfaceList): boolean {
  return Object.values(interfaces).some((entries = []) =>
    entries.some((entry) => {
      const own = parseAddress(entry.address);
      return own !== undefined && sameAddress(own, address);
    }),
  );
}

/**
 * True when a source URL may be fetched from `address`: a global unicast address that is none of this
 * machine's own. Anything that does not parse as an IP address is not public. `interfaces` defaults to the
 * machine's interfaces read at each call, so an interface added while the process runs counts too.
 */
export function isPublicAddress(address: string, interfaces: InterfaceList = networkInterfaces()): boolean {
  const parsed = parseAddress(address);
  return parsed !== undefined && isGlobalUnicast(parsed) && !isOwnAddress(parsed, interfaces);
}
