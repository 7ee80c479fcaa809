import type { Request } from 'express';
import { isLoopbackHostName } from './loopback.js';

/** A Host header we take apart: a DNS name or IPv4 address, or a bracketed IPv6 one, and an optional port. */
const HOST =
  /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;

interface HostParts {
  name: string;
  port: string | undefined;
}

function hostParts(host: string): HostParts | undefined {
  const match = HOST.exec(host);
  return match ? { name: match[1]!.toLowerCase(), port: match[2] } : undefined;
}

/** True for an ALLOWED_HOSTS entry: `host` (any port) or `host:port`. */
export function isHostEntry(entry: string): boolean {
  return hostParts(entry) !== undefined;
}

export interface LinkOriginOptions {
  /** PUBLIC_BASE_URL: every link is built on it. */
  publicBaseUrl?: string | undefined;
  /** ALLOWED_HOSTS: without publicBaseUrl, links are built on these hosts when a request names one. */
  allowedHosts: readonly string[];
}

/** The origin of a request's links, or undefined when none is trusted: then links stay relative. */
export type LinkOrigin = (request: Request) => string | undefined;

/**
 * Decides where the download and source links handed to clients point. The Host header is the client's to
 * write, so a link is built on it only when it names a host the operator trusts: PUBLIC_BASE_URL when set;
 * else a host of ALLOWED_HOSTS; with neither, a loopback host (`npm start`, tests). Any other request gets
 * links relative to the API (`/api/files/…`), which the SDK resolves against its `baseUrl`.
 */
export function createLinkOrigin({ publicBaseUrl, allowedHosts }: LinkOriginOptions): LinkOrigin {
  if (publicBaseUrl) {
    const base = publicBaseUrl.replace(/\/+$/, '');
    return () => base;
  }
  const allowed = allowedHosts.map((entry) => hostParts(entry)).filter((parts) => parts !== undefined);
  const trusts = ({ name, port }: HostParts) =>
    allowed.length > 0
      ? allowed.some((entry) => entry.name === name && (entry.port === undefined || entry.port === port))
      : isLoopbackHostName(name);
  return (request) => {
    // Express's host: the Host header, or X-Forwarded-Host behind a trusted proxy (TRUST_PROXY), port included
    const parts = hostParts(request.host ?? '');
    if (!parts || !trusts(parts)) return undefined;
    const protocol = request.protocol === 'https' ? 'https' : 'http';
    return `${protocol}://${parts.name}${parts.port === undefined ? '' : `:${parts.port}`}`;
  };
}

/** A storage URL as handed to the client: a path (`/api/files/…`) put on `origin` when there is one. */
export function linkOn(origin: string | undefined, url: string): string {
  return origin !== undefined && url.startsWith('/') && !url.startsWith('//') ? `${origin}${url}` : url;
}
