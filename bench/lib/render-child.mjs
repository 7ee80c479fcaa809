// Runs one export's media work exactly as a worker does (@vexport/worker's renderExport) in its own
// process, so the parent can time it and read this process's peak memory. Input: one JSON argument.
// Output: one JSON line with the plan's strategy, the files, the seconds renderExport took (a worker is a
// long-lived process: Node's start-up and module loading are not part of any export) and the peak RSS.
import { readFfmpegVersion, renderExport } from '@vexport/worker';
import { pino } from 'pino';

const { sourcePath, request, workDir, outputName, encoder = 'libx264' } = JSON.parse(process.argv[2]);
// a worker reads both tools' versions when it starts, before any export: so does this process (the first
// process Node starts costs about 80 ms more than the next ones here)
await readFfmpegVersion('ffmpeg');
await readFfmpegVersion('ffprobe');
const started = performance.now();
const plan = await renderExport({
  sourcePath,
  request,
  workDir,
  outputName,
  tools: {
    ffmpegPath: 'ffmpeg',
    ffprobePath: 'ffprobe',
    encoder,
    memoryLimitBytes: 4 * 1024 ** 3,
  },
  logger: pino({ level: 'silent' }),
  signal: new AbortController().signal,
});
const renderSeconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    renderSeconds,
    strategy: plan.strategy,
    files: plan.files.map((file) => file.path),
    reencodeSteps: plan.steps.length,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
