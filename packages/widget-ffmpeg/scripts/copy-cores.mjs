// Puts the ffmpeg.wasm cores (ES module builds only) beside the add-on's modules, in dist/ffmpeg/st and /mt, so
// `new URL('./ffmpeg/…', import.meta.url)` finds them and a host's bundler emits them with the app.
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

for (const [name, folder] of [
  ['@ffmpeg/core', 'st'],
  ['@ffmpeg/core-mt', 'mt'],
]) {
  // the packages export no package.json, so their folder is found from their entry
  const entry = require.resolve(name);
  const source = join(entry.slice(0, entry.lastIndexOf(`${name}/`) + name.length), 'dist', 'esm');
  const target = join('dist', 'ffmpeg', folder);
  mkdirSync(target, { recursive: true });
  cpSync(source, target, { recursive: true });
}
