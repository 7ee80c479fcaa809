import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { filesPassed, openFilePaths } from './open-files.js';

describe('filesPassed', () => {
  const pieces = ['/w/a.ts', '/w/b.ts', '/w/c.ts'];

  it('is every file before the one being read', () => {
    expect(filesPassed(pieces, new Set(['/w/b.ts', '/w/out.mp4']))).toEqual(['/w/a.ts']);
    expect(filesPassed(pieces, new Set(['/w/c.ts']))).toEqual(['/w/a.ts', '/w/b.ts']);
  });

  it('is nothing before the first file is opened (or once the process is gone)', () => {
    expect(filesPassed(pieces, new Set(['/w/out.mp4']))).toEqual([]);
    expect(filesPassed(pieces, new Set())).toEqual([]);
  });
});

describe('openFilePaths (Linux /proc)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-open-files-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lists a file another process holds open, and nothing for a process that is gone', async () => {
    const file = join(scratch, 'held.txt');
    writeFileSync(file, 'x');
    const holder = spawn('sh', ['-c', 'exec 3<"$0"; sleep 30', file], { stdio: 'ignore' });
    try {
      await expect
        .poll(async () => (await openFilePaths(holder.pid!)).has(file), { timeout: 5_000 })
        .toBe(true);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(await openFilePaths(holder.pid!)).toEqual(new Set());
  });
});
