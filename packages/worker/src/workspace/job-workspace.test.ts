import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobWorkspace } from './job-workspace.js';

const root = mkdtempSync(join(tmpdir(), 'vexport-workspace-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('JobWorkspace', () => {
  it('removes a job folder on success and on failure', async () => {
    const workspace = new JobWorkspace(root);
    let kept = '';
    await workspace.withJobDir('ok', async (dir) => {
      kept = dir;
      writeFileSync(join(dir, 'partial.mp4'), 'x');
    });
    expect(existsSync(kept)).toBe(false);
    await expect(
      workspace.withJobDir('boom', async (dir) => {
        kept = dir;
        throw new Error('ffmpeg died');
      }),
    ).rejects.toThrow('ffmpeg died');
    expect(existsSync(kept)).toBe(false);
  });

  it('removes the folders of dead workers on this host and keeps the living ones', async () => {
    const deadPid = Number(
      spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout,
    );
    const dead = join(root, `${hostname()}-${deadPid}`);
    const alive = join(root, `${hostname()}-${process.ppid}`);
    const otherHost = join(root, `another-host-${deadPid}`);
    for (const dir of [dead, alive, otherHost]) mkdirSync(join(dir, 'job-1'), { recursive: true });
    expect(await new JobWorkspace(root).removeLeftovers()).toBe(1);
    expect(readdirSync(root).sort()).toEqual(
      [`${hostname()}-${process.ppid}`, `${hostname()}-${process.pid}`, `another-host-${deadPid}`].sort(),
    );
  });
});
