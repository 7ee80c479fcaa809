// `npm run size`: what the widget costs a host app, each figure against its target; exits 1 when one is over.
// - installed: the unpacked size of the published @vexport/widget (`npm pack --dry-run`), what
//   `npm install @vexport/widget` adds besides lit and the SDK;
// - the gzip size of each bundle: the npm build (lit, @lit/context and the SDK left to the host's bundler)
//   and the standalone one (everything inside). ffmpeg.wasm is in neither: it is the optional add-on.
// The targets leave headroom over the sizes they were set from: a change that crosses one should be a
// decision, not a drift. Raised once, on purpose, for <vexport-timeline> and the dialog's presets, source
// labels and phone layout (#23): 28.7 and 40.8 KiB gzip then. The standalone build's source map stays out of
// the npm package (it is for pages loading the single file; the npm build has its own).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SetupError, log, runScript } from './lib/log.mjs';

const KIB = 1024;
const widget = fileURLToPath(new URL('../packages/widget/', import.meta.url));
const BUNDLES = ['vexport-widget.js', 'vexport-widget.standalone.js'];

const TARGETS = {
  'installed (unpacked)': 1024 * KIB,
  'vexport-widget.js (gzip)': 36 * KIB,
  'vexport-widget.standalone.js (gzip)': 50 * KIB,
};

function unpackedSize() {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: widget,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out)[0].unpackedSize;
}

function measure() {
  const missing = BUNDLES.filter((name) => !existsSync(`${widget}dist/${name}`));
  if (missing.length > 0) {
    throw new SetupError(`packages/widget/dist has no ${missing.join(' or ')}: run \`npm run build\` first.`);
  }
  const sizes = { 'installed (unpacked)': unpackedSize() };
  for (const name of BUNDLES) {
    sizes[`${name} (gzip)`] = gzipSync(readFileSync(`${widget}dist/${name}`), { level: 9 }).length;
  }
  return sizes;
}

const kib = (bytes) => `${(bytes / KIB).toFixed(1)} KiB`;

async function main() {
  let over = 0;
  for (const [name, bytes] of Object.entries(measure())) {
    const target = TARGETS[name];
    const within = bytes < target;
    if (!within) over += 1;
    console.log(`${within ? 'ok  ' : 'OVER'}  ${name}: ${kib(bytes)} (target < ${kib(target)})`);
  }
  if (over > 0) {
    log.error(
      `${over} size target(s) exceeded: make it smaller, or raise its target in scripts/size.mjs on purpose.`,
    );
    process.exitCode = 1;
  }
}

await runScript(main);
