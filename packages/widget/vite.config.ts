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

// Library mode: one ES module that registers every element; a host page needs only this one script.
// ffmpeg.wasm is split into chunks loaded on first use.
export default defineConfig({
  plugins: [ffmpegCores()],
  build: {
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'vexport-widget.js',
    },
    target: 'es2022',
    sourcemap: true,
    emptyOutDir: true,
  },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@ffmpeg/ffmpeg', '@ffmpeg/util'] },
});
