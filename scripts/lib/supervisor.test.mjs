import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SupervisedProcess, restartDelayMs } from './supervisor.mjs';

/** A stand-in for a ManagedProcess that exits when told to. */
function fakeProcess() {
  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  return { exited, exit: (code = 1) => exit({ code, signal: null }), stop: async () => exit({ code: 0 }) };
}

/** A start function that keeps every process it starts. */
function recordingStarts() {
  const started = [];
  const start = () => {
    const process = fakeProcess();
    started.push(process);
    return process;
  };
  return { started, start };
}

describe('restart pauses', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [5, 16_000],
    [6, 30_000],
    [40, 30_000],
  ])('restart %i waits %i ms', (failures, delay) => {
    expect(restartDelayMs(failures)).toBe(delay);
  });
});

describe('SupervisedProcess', () => {
  it('starts a process again when it exits, and not once stopped', async () => {
    const { started, start } = recordingStarts();
    const supervised = new SupervisedProcess('api', start, { minMs: 10, maxMs: 40 });
    started[0].exit(1);
    await sleep(50);
    expect(started).toHaveLength(2);
    expect(supervised.current).toBe(started[1]);
    expect(supervised.restarts).toBe(1);
    await supervised.stop();
    await sleep(50);
    expect(started).toHaveLength(2);
  });

  it('does not start again while waiting to restart, once stopped', async () => {
    const { started, start } = recordingStarts();
    const supervised = new SupervisedProcess('worker', start, { minMs: 30 });
    started[0].exit(1);
    await sleep(5);
    await supervised.stop();
    await sleep(60);
    expect(started).toHaveLength(1);
  });
});
