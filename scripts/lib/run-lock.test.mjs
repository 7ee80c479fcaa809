import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LockHeldError, acquireRunLock } from './run-lock.mjs';

const dir = mkdtempSync(join(tmpdir(), 'vexport-lock-'));
const lockPath = join(dir, 'run.lock');

afterEach(() => rmSync(lockPath, { force: true }));

describe('acquireRunLock', () => {
  it('refuses a second holder while the first lives, naming it', () => {
    const release = acquireRunLock(lockPath, { url: 'http://localhost:1234' });
    try {
      acquireRunLock(lockPath);
      expect.unreachable('the second acquire should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(LockHeldError);
      expect(error.holder).toMatchObject({ pid: process.pid, url: 'http://localhost:1234' });
    } finally {
      release();
    }
  });

  it('takes over a lock whose holder has died', () => {
    const deadPid = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {
      encoding: 'utf8',
    }).stdout.trim();
    writeFileSync(lockPath, JSON.stringify({ pid: Number(deadPid), started_at: 'earlier' }));
    const release = acquireRunLock(lockPath);
    release();
  });

  it('takes over an unreadable lock file', () => {
    writeFileSync(lockPath, 'not json');
    acquireRunLock(lockPath)();
  });

  it('can be taken again after release', () => {
    acquireRunLock(lockPath)();
    acquireRunLock(lockPath)();
  });
});
