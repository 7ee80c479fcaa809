import { open } from 'node:fs/promises';

/**
 * Bytes of a file read at any position: a local file, or an object behind an HTTP URL read by range. The
 * sample-table readers (mp4-sample-index, keyframes) read through it, so they read the few kilobytes they
 * need where the file lies instead of the whole file.
 */
export interface ByteSource {
  /** The file's size in bytes. */
  readonly size: number;
  /** Bytes fetched so far (for an HTTP source, what its range requests transferred). */
  readonly bytesRead: number;
  /**
   * Reads up to `length` bytes at `position` into `buffer` from `offset`; resolves to how many were read
   * (fewer at the end of the file).
   */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/** A local file as a byte source. */
export async function openFileByteSource(path: string): Promise<ByteSource> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    let bytesRead = 0;
    return {
      size,
      get bytesRead() {
        return bytesRead;
      },
      async read(buffer, offset, length, position) {
        const read = await file.read(buffer, offset, length, position);
        bytesRead += read.bytesRead;
        return read.bytesRead;
      },
      close: () => file.close(),
    };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/**
 * Smallest range asked for at once: box headers are read 16 bytes at a time, and one request per header
 * would cost a round trip each, so each request reads ahead and the next small reads come from it.
 */
const READ_AHEAD_BYTES = 16 * 1024;

/**
 * Ranges kept after they were fetched: the sample-table reader goes back and forth between a few places
 * (the moov's start, each track's header, the video track's tables), each read once more at most.
 */
const CACHED_RANGES = 8;

/** A request that takes longer than this fails (the caller falls back to reading the file otherwise). */
const REQUEST_TIMEOUT_MS = 30_000;

/** `bytes 0-16383/1234567` → 1234567. */
function totalFromContentRange(header: string | null): number | undefined {
  const total = /\/(\d+)\s*$/.exec(header ?? '')?.[1];
  return total === undefined ? undefined : Number(total);
}

interface FetchedRange {
  start: number;
  bytes: Buffer;
}

/**
 * An object behind an HTTP(S) URL that answers Range requests (a presigned GET URL of our own storage) as a
 * byte source. Throws when the server does not answer a range with 206 and a Content-Range: reading the
 * whole object would defeat the point.
 */
export async function openHttpByteSource(
  url: string,
  { signal }: { signal?: AbortSignal } = {},
): Promise<ByteSource> {
  let bytesRead = 0;
  const cached: FetchedRange[] = [];

  async function fetchRange(start: number, length: number): Promise<FetchedRange & { total: number }> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    const response = await fetch(url, {
      headers: { range: `bytes=${start}-${start + length - 1}` },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const total = totalFromContentRange(response.headers.get('content-range'));
    if (response.status !== 206 || total === undefined) {
      await response.body?.cancel();
      throw new Error(`the storage answered a range request with ${response.status}, not 206`);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    bytesRead += bytes.length;
    cached.unshift({ start, bytes });
    cached.length = Math.min(cached.length, CACHED_RANGES);
    return { start, bytes, total };
  }

  const { total: size } = await fetchRange(0, READ_AHEAD_BYTES);
  return {
    size,
    get bytesRead() {
      return bytesRead;
    },
    async read(buffer, offset, length, position) {
      const end = Math.min(position + length, size);
      if (end <= position) return 0;
      const holding = (range: FetchedRange) =>
        range.start <= position && end <= range.start + range.bytes.length;
      const range =
        cached.find(holding) ?? (await fetchRange(position, Math.max(end - position, READ_AHEAD_BYTES)));
      const from = position - range.start;
      return range.bytes.copy(buffer, offset, from, Math.min(from + end - position, range.bytes.length));
    },
    close: () => Promise.resolve(),
  };
}
