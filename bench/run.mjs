// `npm run bench`: the performance suite. Every figure is a ratio against a baseline measured in the same
// run (the equivalent plain ffmpeg command), with absolute times for context. Results go to
// bench/results/latest.json and the table in docs/performance.md. `--long` adds the 60-minute source;
// `--only=1,3` runs some scenarios.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import {
  BROWSER_TOOLS,
  MEDIA_TOOLS,
  REDIS_TOOLS,
  buildPackages,
  ensureNodeModules,
  ensureSystemTools,
} from '../scripts/lib/bootstrap.mjs';
import { writePerformanceDoc } from './lib/report.mjs';
import { writeFormatted } from './lib/tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const long = args.includes('--long');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice(7)
  .split(',')
  .map(Number);
// scenario 7's source length: 5 minutes, or fewer for a quick look at the figures' shape
const chunkMinutes = Number(args.find((arg) => arg.startsWith('--chunk-minutes='))?.slice(16) ?? 5);
const wanted = (scenario) => !only || only.includes(scenario);

ensureNodeModules(root);
ensureSystemTools([...MEDIA_TOOLS, ...REDIS_TOOLS, ...BROWSER_TOOLS]);
buildPackages(root);

const { frameAccurateCut } = await import('./scenarios/frame-accurate-cut.mjs');
const { reencode } = await import('./scenarios/reencode.mjs');
const { endToEnd } = await import('./scenarios/end-to-end.mjs');
const { longSource } = await import('./scenarios/long-source.mjs');
const { widget } = await import('./scenarios/widget.mjs');
const { apiLoad } = await import('./scenarios/api-load.mjs');
const { chunkedReencode } = await import('./scenarios/chunked-reencode.mjs');

const cacheDir = join(root, 'bench/cache');
const scratch = mkdtempSync(join(tmpdir(), 'vexport-bench-'));
const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    node: process.version,
    ffmpeg: execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0],
  },
  scenarios: {},
};
const step = async (number, name, run) => {
  if (!wanted(number)) return;
  console.log(`bench: scenario ${number} — ${name}`);
  const loadBefore = loadavg()[0];
  results.scenarios[name] = await run();
  // other work on the machine shows in every absolute figure: the run says how busy it was
  results.scenarios[name].loadAverage = { start: loadBefore, end: loadavg()[0] };
  console.log(JSON.stringify(results.scenarios[name], null, 2));
};
try {
  await step(1, 'frameAccurateCut1min', () =>
    frameAccurateCut({ cacheDir, scratch, minutes: 1, fullReencode: true }),
  );
  await step(1, 'frameAccurateCut10min', () =>
    frameAccurateCut({ cacheDir, scratch, minutes: 10, fullReencode: true }),
  );
  if (long)
    await step(1, 'frameAccurateCut60min', () =>
      frameAccurateCut({ cacheDir, scratch, minutes: 60, fullReencode: false }),
    );
  await step(2, 'endToEnd', () => endToEnd({ root, cacheDir, scratch }));
  await step(2, 'reencode', () => reencode({ cacheDir, scratch }));
  await step(3, 'longSource', () => longSource({ cacheDir, scratch, minutes: long ? 60 : 10 }));
  await step(4, 'api', () => apiLoad({ root }));
  await step(6, 'widget', () => widget({ root, cacheDir, scratch }));
  await step(7, 'chunkedReencode', () => chunkedReencode({ root, cacheDir, scratch, minutes: chunkMinutes }));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
// scenarios left out with --only keep their last figures
const latest = join(root, 'bench/results/latest.json');
if (only && existsSync(latest)) {
  results.scenarios = { ...JSON.parse(readFileSync(latest, 'utf8')).scenarios, ...results.scenarios };
}
await writeFormatted(latest, `${JSON.stringify(results, null, 2)}\n`);
await writePerformanceDoc(join(root, 'docs/performance.md'), results);
console.log('bench: wrote bench/results/latest.json and docs/performance.md');
