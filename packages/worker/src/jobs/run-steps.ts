/** What the scheduler needs to know of a step. */
export interface SchedulableStep {
  /** The file it writes: steps that need it start once it is written. */
  outputPath: string;
  /** True when it may run beside other steps; any other step runs alone. */
  independent?: boolean | undefined;
  /** Files other steps write that it reads. */
  needs?: readonly string[] | undefined;
}

/**
 * Runs `steps` with `run`, at most `limit` at once: each starts, in the plan's order among those whose needs
 * are written, as soon as a place frees, so that one file's join runs beside the next file's pieces instead
 * of after them all. A step that is not independent runs alone. On the first failure nothing more starts;
 * the steps already running are waited for (they share the job's signal), then the failure is thrown.
 */
export async function runSteps<Step extends SchedulableStep>(
  steps: readonly Step[],
  limit: number,
  run: (step: Step) => Promise<void>,
): Promise<void> {
  const written = new Set<string>();
  const waiting = [...steps];
  const running = new Map<Promise<void>, Step>();
  let failure: { error: unknown } | undefined;
  const ready = (step: Step) => (step.needs ?? []).every((path) => written.has(path));
  const runningAlone = () => [...running.values()].some((step) => !step.independent);
  const start = (step: Step) => {
    const task: Promise<void> = run(step)
      .then(
        () => void written.add(step.outputPath),
        (error: unknown) => void (failure ??= { error }),
      )
      .finally(() => running.delete(task));
    running.set(task, step);
  };
  while (!failure && (waiting.length > 0 || running.size > 0)) {
    for (let index = 0; index < waiting.length && running.size < limit && !runningAlone();) {
      const step = waiting[index]!;
      if (!ready(step)) {
        index += 1;
        continue;
      }
      // a step that runs alone waits for the others to finish, and keeps later steps from starting
      if (!step.independent && running.size > 0) break;
      waiting.splice(index, 1);
      start(step);
    }
    if (running.size === 0) {
      const stuck = waiting.map((step) => step.outputPath).join(', ');
      throw new Error(`the plan's steps cannot start: ${stuck} need files no step writes`);
    }
    await Promise.race(running.keys());
  }
  await Promise.all(running.keys());
  if (failure) throw failure.error;
}
