import { readdir, readlink } from 'node:fs/promises';

/**
 * The paths of the files a process has open (Linux: its /proc/<pid>/fd links); empty where that cannot be
 * read (another OS, or the process has exited).
 */
export async function openFilePaths(pid: number): Promise<Set<string>> {
  const folder = `/proc/${pid}/fd`;
  try {
    const descriptors = await readdir(folder);
    const targets = await Promise.all(
      descriptors.map((descriptor) => readlink(`${folder}/${descriptor}`).catch(() => undefined)),
    );
    return new Set(targets.filter((target): target is string => target !== undefined));
  } catch {
    return new Set();
  }
}

/**
 * Of `inOrder` (files a process reads one after another), those it is done with: every file before the
 * last one it has open. None while it has none of them open.
 */
export function filesPassed(inOrder: readonly string[], open: ReadonlySet<string>): string[] {
  const current = inOrder.findLastIndex((path) => open.has(path));
  return current === -1 ? [] : inOrder.slice(0, current);
}
