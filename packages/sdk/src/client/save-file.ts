import { VexportError } from './errors.js';

/** The two functions of Node's `fs/promises` that saving needs (the SDK carries no Node types). */
export interface FileSystem {
  writeFile(path: string, data: ReadableStream<Uint8Array>, options: { signal?: AbortSignal }): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
}

// A specifier in a variable, marked for bundlers to skip: a browser bundle of the SDK must never try to
// resolve or include a Node module, and in Node the import is a plain one.
const NODE_FS = 'node:fs/promises';

/** Node's file system, or a VexportError telling a browser caller what to use instead. */
export async function nodeFileSystem(): Promise<FileSystem> {
  try {
    return (await import(/* @vite-ignore */ /* webpackIgnore: true */ NODE_FS)) as FileSystem;
  } catch (error) {
    const refusal = new VexportError(
      'saveExport writes a file to disk, which needs Node. In a web browser, call downloadExport(exportId).',
      0,
      'unsupported_environment',
    );
    refusal.cause = error;
    throw refusal;
  }
}

/**
 * Streams `body` into the file at `path`, never holding the whole file in memory. A partial file (the
 * connection dropped, the signal aborted) is removed, so a file at `path` is always a complete one.
 */
export async function saveToFile(
  fs: FileSystem,
  body: ReadableStream<Uint8Array>,
  path: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await fs.writeFile(path, body, signal ? { signal } : {});
  } catch (error) {
    await fs.rm(path, { force: true }).catch(() => undefined);
    throw error;
  }
}
