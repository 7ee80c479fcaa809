import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage, type RequestOptions } from 'node:http';
import { get as httpsGet } from 'node:https';
import { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return privateRanges.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a source URL may not be fetched; `message` is written for the person who gave the URL. */
export class SourceUrlRefusedError extends Error {
  override name = 'SourceUrlRefusedError';
}

export interface SourceUrlPolicy {
  /** Allow hosts on private, loopback and link-local addresses (off by default: SSRF protection). */
  allowPrivate: boolean;
}

function parseSourceUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceUrlRefusedError('The source URL is not a valid URL.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SourceUrlRefusedError('Only http and https source URLs are supported.');
  }
  if (parsed.username || parsed.password)
    throw new SourceUrlRefusedError('Source URLs may not carry credentials.');
  return parsed;
}

/**
 * Refuses URLs that must not be fetched: anything but http(s), credentials in the URL, and (unless allowed)
 * hosts that resolve to private or loopback addresses, which would let a user reach internal services.
 */
export async function assertFetchableUrl(url: string, { allowPrivate }: SourceUrlPolicy): Promise<void> {
  const parsed = parseSourceUrl(url);
  if (allowPrivate) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch {
      throw new SourceUrlRefusedError(`The host ${host} cannot be resolved.`);
    }
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw new SourceUrlRefusedError(
      'The source URL points at a private or loopback address, which is not allowed.',
    );
  }
}

/**
 * A DNS lookup that fails for private addresses, used for the connection itself: checking the name first and
 * connecting later could be fooled by a name that resolves differently the second time (DNS rebinding).
 */
function publicOnlyLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: false }, (error, address, family) => {
      if (error) return callback(error, '', 4);
      if (!allowPrivate && isPrivateAddress(address)) {
        return callback(new SourceUrlRefusedError('The source URL resolves to a private address.'), '', 4);
      }
      callback(null, address, family);
    });
  };
}

export interface DownloadOptions extends SourceUrlPolicy {
  /** Bytes after which the download is stopped. */
  maxBytes: number;
  signal?: AbortSignal | undefined;
  /** Redirects followed, each checked like the first URL. */
  maxRedirects?: number;
  timeoutMs?: number;
}

/** Thrown when the remote answered, but not with a file we can use. */
export class SourceDownloadError extends Error {
  override name = 'SourceDownloadError';

  constructor(
    message: string,
    /** False when trying again later cannot help (404, too large…). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function request(url: URL, options: RequestOptions): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const outgoing = get(url, options, resolve);
    outgoing.on('error', reject);
    outgoing.on('timeout', () =>
      outgoing.destroy(new SourceDownloadError('The source server stopped answering.', true)),
    );
  });
}

/** "5 GiB", "300 MiB", "64 KiB": a size limit as a person reads it. */
export function describeByteLimit(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Math.floor(bytes / size)} ${unit}`;
  }
  return `${bytes} bytes`;
}

function sourceTooLarge(maxBytes: number): SourceDownloadError {
  return new SourceDownloadError(
    `The source is larger than the ${describeByteLimit(maxBytes)} this service accepts.`,
    false,
  );
}

function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(sourceTooLarge(maxBytes));
      } else {
        callback(null, chunk);
      }
    },
  });
}

/**
 * Downloads a source URL to a local file, following redirects, with every hop's address checked at connect
 * time and the size capped. Resolves to the bytes written; on failure the file is removed.
 */
export async function downloadUrlToFile(
  url: string,
  path: string,
  options: DownloadOptions,
): Promise<number> {
  const { allowPrivate, maxBytes, signal, maxRedirects = 5, timeoutMs = 30_000 } = options;
  let current = parseSourceUrl(url);
  for (let hop = 0; ; hop += 1) {
    const literal = current.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isIP(literal) && isPrivateAddress(literal)) {
      throw new SourceUrlRefusedError('The source URL points at a private address, which is not allowed.');
    }
    const response = await request(current, {
      lookup: publicOnlyLookup(allowPrivate),
      signal,
      timeout: timeoutMs,
      headers: { 'user-agent': 'vexport-worker', accept: 'video/*, */*' },
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop >= maxRedirects)
        throw new SourceDownloadError('The source URL redirects too many times.', false);
      current = parseSourceUrl(new URL(response.headers.location, current).toString());
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new SourceDownloadError(
        `The source server answered HTTP ${status}.`,
        status >= 500 || status === 429,
      );
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw sourceTooLarge(maxBytes);
    }
    let written = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response, byteLimit(maxBytes), counter, createWriteStream(path), { signal });
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return written;
  }
}
