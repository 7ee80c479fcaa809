// archiver 8 is ESM and ships no types; this declares the part vexport uses.
declare module 'archiver' {
  import type { Readable } from 'node:stream';

  export interface ZipArchiveOptions {
    /** Store entries without compression. */
    store?: boolean;
    zlib?: { level?: number };
    /** Files examined at once; above 1, entries can be added out of order. */
    statConcurrency?: number;
  }

  export class ZipArchive extends Readable {
    constructor(options?: ZipArchiveOptions);
    file(path: string, data: { name: string }): this;
    finalize(): Promise<void>;
  }
}
