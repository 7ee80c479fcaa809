// The plain-ffmpeg baselines each scenario compares our export against, measured in the same run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planExport, probeFile } from '@vexport/worker';
import { ffmpeg, runCommand, timed } from './tools.mjs';

/** `ffmpeg -c copy` of each range, joined by the concat demuxer: the physical floor (not frame-accurate). */
export async function plainCopy({ sourcePath, segments, scratch }) {
  const dir = join(scratch, 'baseline-copy');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const output = join(dir, 'copy.mp4');
  const { seconds } = await timed(async () => {
    const parts = [];
    for (const [index, segment] of segments.entries()) {
      const part = join(dir, `part${index}.mp4`);
      await ffmpeg([
        '-ss',
        String(segment.start_time),
        '-i',
        sourcePath,
        '-t',
        String(segment.end_time - segment.start_time),
        '-c',
        'copy',
        '-avoid_negative_ts',
        'make_zero',
        part,
      ]);
      parts.push(part);
    }
    const list = join(dir, 'list.txt');
    writeFileSync(list, `ffconcat version 1.0\n${parts.map((part) => `file '${part}'`).join('\n')}\n`);
    await ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', output]);
  });
  return { seconds, output };
}

/**
 * The full re-encode of the request with our encoder settings (libx264 unless `encoder` says another): the ffmpeg command(s) our planner writes
 * when nothing can be copied, run by hand with nothing around them.
 */
export async function plainReencode({ sourcePath, request, scratch, name, encoder = 'libx264' }) {
  const dir = join(scratch, `baseline-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const probe = await probeFile('ffprobe', sourcePath);
  const plan = planExport({
    probe,
    request,
    sourcePath,
    workDir: dir,
    encoder,
    keyframeAlignment: 'baseline: re-encode everything',
    outputName: name,
  });
  const { seconds } = await timed(async () => {
    for (const step of plan.steps) await runCommand('ffmpeg', step.args);
  });
  return { seconds, output: plan.files[0].path, command: `ffmpeg ${plan.steps[0].args.join(' ')}` };
}
