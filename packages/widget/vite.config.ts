import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);

/**
 * Ships the ffmpeg.wasm cores beside the bundle (dist/ffmpeg/st and /mt), so the widget loads them from the
 * package's own files and never from a CDN.
 */
function ffmpegCores(): Plugin {
  return {
    name: 'vexport-ffmpeg-cores',
    apply: 'build',
    closeBundle() {
      for (const [name, folder] of [
        ['@ffmpeg/core', 'st'],
        ['@ffmpeg/core-mt', 'mt'],
      ] as const) {
        const entry = require.resolve(name);
        const source = join(entry.slice(0, entry.lastIndexOf(`${name}/`) + name.length), 'dist', 'esm');
        const target = join('dist', 'ffmpeg', folder);
        mkdirSync(target, { recursive: true });
        cpSync(source, target, { recursive: true });
      }
    },
  };
}

/**
 * What the npm build leaves to the host's bundler (they are dependencies): one copy of each in a host's app,
 * so the SDK's `VexportError` the widget checks against is the class the host's client throws.
 */
const external = /^(lit|@lit\/context|@vexport\/sdk)(\/|$)/;

// Library mode. The npm build (`vexport-widget.js`) keeps lit, @lit/context and the SDK external; the
// standalone build (`vite build --mode standalone`, `vexport-widget.standalone.js`) bundles them into one file
// for a <script type="module"> page without a bundler. Both register every element; ffmpeg.wasm is loaded on
// first use and never part of either.
export default defineConfig(({ mode }) => {
  const standalone = mode === 'standalone';
  return {
    plugins: standalone ? [] : [ffmpegCores()],
    build: {
      lib: {
        entry: 'src/index.ts',
        formats: ['es'],
        fileName: () => (standalone ? 'vexport-widget.standalone.js' : 'vexport-widget.js'),
      },
      rollupOptions: standalone
        ? { output: { codeSplitting: false } }
        : { external: (id: string) => external.test(id) },
      target: 'es2022',
      sourcemap: true,
      // the standalone build runs second and adds its file beside the npm build's
      emptyOutDir: !standalone,
    },
    worker: { format: 'es' },
    optimizeDeps: { exclude: ['@ffmpeg/ffmpeg', '@ffmpeg/util'] },
  };
});
