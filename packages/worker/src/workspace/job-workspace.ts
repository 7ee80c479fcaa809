import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary folders of one worker process: `{root}/{hostname}-{pid}/{job}-…`. Each job gets its own folder,
 * removed on every outcome; at start-up the folders that dead workers on this host left behind are removed.
 */
export class JobWorkspace {
  readonly #root: string;
  readonly #own: string;

  constructor(root: string) {
    this.#root = root;
    this.#own = join(root, `${hostname()}-${process.pid}`);
  }

  /** Removes the folders of this host's workers that are no longer running; resolves to how many. */
  async removeLeftovers(): Promise<number> {
    const prefix = `${hostname()}-`;
    const entries = await readdir(this.#root).catch(() => [] as string[]);
    let removed = 0;
    for (const entry of entries) {
      if (!entry.startsWith(prefix)) continue;
      const pid = Number(entry.slice(prefix.length));
      if (!Number.isInteger(pid) || pid === process.pid || isProcessAlive(pid)) continue;
      await rm(join(this.#root, entry), { recursive: true, force: true });
      removed += 1;
    }
    return removed;
  }

  /** Runs `work` with a fresh folder that is removed afterwards, whatever happens. */
  async withJobDir<T>(label: string, work: (dir: string) => Promise<T>): Promise<T> {
    await mkdir(this.#own, { recursive: true });
    const dir = await mkdtemp(join(this.#own, `${label.replace(/[^\w-]/g, '_')}-`));
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Removes this process's own folder (at shutdown). */
  async removeOwn(): Promise<void> {
    await rm(this.#own, { recursive: true, force: true });
  }
}
