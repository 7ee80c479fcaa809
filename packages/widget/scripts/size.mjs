// `npm run size`: the gzip size of each widget bundle (ffmpeg.wasm is never part of either). The npm build
// leaves lit, @lit/context and the SDK to the host's bundler; the standalone build carries them.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

for (const name of ['vexport-widget.js', 'vexport-widget.standalone.js']) {
  const raw = readFileSync(new URL(`../dist/${name}`, import.meta.url));
  const gzip = gzipSync(raw, { level: 9 }).length;
  console.log(`${name}: ${(raw.length / 1024).toFixed(1)} KiB, ${(gzip / 1024).toFixed(1)} KiB gzip`);
}
