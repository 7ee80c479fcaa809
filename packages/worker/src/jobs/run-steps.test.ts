import { describe, expect, it } from 'vitest';
import { runSteps, type SchedulableStep } from './run-steps.js';

/**
 * Runs `steps` with fake work that ends when the test says so: `running()` lists the steps started and not
 * yet ended, `end(path)` ends one (failing it with `fail`), `outcome` is what runSteps settles to.
 */
function schedule(steps: SchedulableStep[], limit = 2) {
  const ends = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const outcome = runSteps(
    steps,
    limit,
    (step) => new Promise<void>((resolve, reject) => ends.set(step.outputPath, { resolve, reject })),
  );
  outcome.catch(() => {});
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    outcome,
    running: async () => {
      await settle();
      return [...ends.keys()];
    },
    end: async (path: string, fail = false) => {
      const step = ends.get(path)!;
      ends.delete(path);
      if (fail) step.reject(new Error(`${path} failed`));
      else step.resolve();
      await settle();
    },
  };
}

const piece = (outputPath: string, needs?: string[]): SchedulableStep => ({
  outputPath,
  independent: true,
  ...(needs && { needs }),
});

describe('runSteps', () => {
  it('starts a step that needs others once they are written, beside the next file’s pieces', async () => {
    const run = schedule([
      piece('a1'),
      piece('a2'),
      piece('a.mp4', ['a1', 'a2']),
      piece('b1'),
      piece('b.mp4', ['b1']),
    ]);
    expect(await run.running()).toEqual(['a1', 'a2']);
    // the join waits for a2, so the next file's piece takes the free place
    await run.end('a1');
    expect(await run.running()).toEqual(['a2', 'b1']);
    await run.end('a2');
    expect(await run.running()).toEqual(['b1', 'a.mp4']);
    await run.end('a.mp4');
    expect(await run.running()).toEqual(['b1']);
    await run.end('b1');
    expect(await run.running()).toEqual(['b.mp4']);
    await run.end('b.mp4');
    await expect(run.outcome).resolves.toBeUndefined();
  });

  it('runs a step that is not independent alone, in its place in the plan', async () => {
    const run = schedule([piece('p1'), { outputPath: 'whole.mp4' }, piece('p2')]);
    expect(await run.running()).toEqual(['p1']);
    await run.end('p1');
    expect(await run.running()).toEqual(['whole.mp4']);
    await run.end('whole.mp4');
    expect(await run.running()).toEqual(['p2']);
    await run.end('p2');
    await expect(run.outcome).resolves.toBeUndefined();
  });

  it('starts nothing after a failure, waits for the running step, then rejects with the failure', async () => {
    const run = schedule([piece('p1'), piece('p2'), piece('p3')]);
    await run.end('p1', true);
    expect(await run.running()).toEqual(['p2']);
    let settled = false;
    void run.outcome.catch(() => (settled = true));
    await run.running();
    expect(settled).toBe(false);
    await run.end('p2');
    await expect(run.outcome).rejects.toThrow('p1 failed');
    expect(await run.running()).toEqual([]);
  });

  it('rejects a plan whose step needs a file that no step writes', async () => {
    const run = schedule([piece('p1'), piece('join', ['p1', 'missing'])]);
    await run.end('p1');
    await expect(run.outcome).rejects.toThrow(/join need files no step writes/);
  });
});
