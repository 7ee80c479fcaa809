// `npm run size`: the gzip size of the widget bundle a host page loads (ffmpeg.wasm is never part of it).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = new URL('../dist/vexport-widget.js', import.meta.url);
const raw = readFileSync(file);
const gzip = gzipSync(raw, { level: 9 }).length;
console.log(`vexport-widget.js: ${(raw.length / 1024).toFixed(1)} KiB, ${(gzip / 1024).toFixed(1)} KiB gzip`);
