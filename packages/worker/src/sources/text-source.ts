import { open } from 'node:fs/promises';
import { UnreadableMediaError } from '../media/media-probe.js';

/** What a person is told when the upload is a playlist, a list of files or other text. */
export const TEXT_SOURCE_MESSAGE =
  'This is a playlist or text file, not a video. Upload the video file itself.';

/** Bytes read from the start of a source to tell text from media. */
const HEAD_BYTES = 4096;

/** How HLS playlists and ffmpeg's concat lists begin (after any byte-order mark and blank space). */
const PLAYLIST_STARTS = ['#EXTM3U', 'ffconcat', 'file '];

/** Tab, line feed, form feed and carriage return: the control bytes text holds. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/**
 * True when a file starting with `head` is a playlist or list of files, or text at all. Every container a
 * source may be (see ffmpeg/source-input.ts) has binary headers: a zero or other control byte within its
 * first bytes.
 */
export function isTextHead(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const start = Buffer.from(head)
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/, '')
    .trimStart();
  if (PLAYLIST_STARTS.some((marker) => start.startsWith(marker))) return true;
  return head.every((byte) => (byte >= 0x20 && byte !== 0x7f) || TEXT_CONTROLS.has(byte));
}

/**
 * Throws an {@link UnreadableMediaError} for the person when the file at `path` is text, not media. A file
 * that cannot be opened is left to the probe, which reports it as it reports any unreadable source.
 */
export async function refuseTextSource(path: string): Promise<void> {
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return;
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, HEAD_BYTES, 0);
    if (isTextHead(head.subarray(0, bytesRead)))
      throw new UnreadableMediaError('unsupported_format', TEXT_SOURCE_MESSAGE);
  } finally {
    await file.close();
  }
}
