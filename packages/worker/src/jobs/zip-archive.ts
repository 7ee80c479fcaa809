import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';

/**
 * Packs files into a ZIP at `path`, stored without compression: video is compressed already, so deflating
 * it again costs time and saves nothing.
 */
export async function writeZip(
  path: string,
  entries: readonly { path: string; name: string }[],
  signal?: AbortSignal,
): Promise<void> {
  // one stat at a time, so entries keep the order given (the segments' order)
  const archive = new ZipArchive({ store: true, statConcurrency: 1 });
  for (const entry of entries) archive.file(entry.path, { name: entry.name });
  const written = pipeline(archive, createWriteStream(path), { signal });
  await archive.finalize();
  await written;
}
