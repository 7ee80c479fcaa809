#!/usr/bin/env node
// Registers a video, exports three clips of it as one ZIP, shows the progress in the terminal, and saves
// the result. Usage:
//   VEXPORT_API=http://localhost:8080 VEXPORT_TOKEN=$(npx vexport token --user alice) node export-clips.mjs video.mp4 [out.zip]
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createClient, VexportError } from '@vexport/sdk';

const [input, output = 'clips.zip'] = process.argv.slice(2);
const baseUrl = process.env.VEXPORT_API ?? 'http://localhost:8080';
const token = process.env.VEXPORT_TOKEN;
if (!input || !token) {
  console.error(
    'Usage: VEXPORT_TOKEN=<jwt> [VEXPORT_API=http://localhost:8080] node export-clips.mjs <video> [out.zip]',
  );
  process.exit(2);
}

const client = createClient({ baseUrl, token });
const bar = (fraction, width = 30) => `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}]`;
const show = (line) => process.stdout.write(process.stdout.isTTY ? `\r\u001b[2K${line}` : `${line}\n`);

async function main() {
  console.log(`Uploading ${input}…`);
  let video = await client.registerVideo({
    file: new Blob([await readFile(input)]),
    filename: basename(input),
  });
  while (video.status === 'pending' || video.status === 'processing') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    video = await client.getVideo(video.id);
  }
  if (video.status === 'failed') throw new Error(`the video could not be read: ${video.error_message}`);
  const duration = video.duration_seconds;
  console.log(
    `"${video.title}": ${duration.toFixed(1)} s, ${video.width}×${video.height}, ${video.video_codec}`,
  );

  const third = duration / 3;
  const clip = (index, label) => ({
    start_time: index * third,
    end_time: Math.min(duration, index * third + Math.min(5, third)),
    label,
  });
  const created = await client.createExport(video.id, {
    export_type: 'clips',
    resolution: '720p',
    format: 'mp4',
    quality: 'medium',
    segments: [clip(0, 'opening'), clip(1, 'middle'), clip(2, 'ending')],
  });
  console.log(`Export ${created.id} started`);

  let last;
  for await (const progress of client.watchExport(created.id)) {
    last = progress;
    const eta =
      progress.estimated_time_remaining === null ? '' : `, ~${progress.estimated_time_remaining}s left`;
    show(
      `${bar(progress.progress / 100)} ${progress.progress.toFixed(0).padStart(3)}% ${progress.current_stage}${eta}`,
    );
  }
  process.stdout.write('\n');
  if (last?.status !== 'completed') {
    const record = await client.getExport(created.id);
    throw new Error(`the export ended ${record.status}: ${record.error_message ?? ''}`);
  }
  await client.saveExport(created.id, output);
  console.log(`Saved ${output} (${(await stat(output)).size} bytes)`);
}

main().catch((error) => {
  const detail = error instanceof VexportError ? `${error.message} (${error.code})` : error.message;
  console.error(`\nFailed: ${detail}`);
  process.exit(1);
});
