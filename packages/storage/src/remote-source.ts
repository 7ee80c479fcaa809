import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage, type RequestOptions } from 'node:http';
import { get as httpsGet } from 'node:https';
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isPublicAddress } from './public-address.js';

/** Why a source URL may not be fetched; `message` is written for the person who gave the URL. */
export class SourceUrlRefusedError extends Error {
  override name = 'SourceUrlRefusedError';
}

export interface SourceUrlPolicy {
  /** Allow hosts on addresses that are not public: private, loopback, reserved… (off: SSRF protection). */
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
 * hosts that resolve to any address that is not public, which would let a user reach internal services.
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
  if (addresses.length === 0 || !addresses.every((address) => isPublicAddress(address))) {
    throw new SourceUrlRefusedError(
      'The source URL points at a private, loopback or reserved address, which is not allowed.',
    );
  }
}

/** Resolves every address of a name, as `dns.lookup` does with `all: true`. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A DNS lookup for the connection itself that fails unless every address of the name is public: checking the
 * name first and connecting later could be fooled by a name that resolves differently the second time (DNS
 * rebinding), and a name with one public and one private address could otherwise be connected to the private
 * one. Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily), for one otherwise.
 */
export function publicOnlyLookup(resolveAll: ResolveAll = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const [first] = addresses;
      if (!first || !addresses.every(({ address }) => isPublicAddress(address))) {
        return callback(new SourceUrlRefusedError('The source URL resolves to a private address.'), '', 4);
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
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
    if (!allowPrivate && isIP(literal) && !isPublicAddress(literal)) {
      throw new SourceUrlRefusedError('The source URL points at a private address, which is not allowed.');
    }
    const response = await request(current, {
      ...(allowPrivate ? {} : { lookup: publicOnlyLookup() }),
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
