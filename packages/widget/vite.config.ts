import { defineConfig } from 'vite';

/**
 * What the npm build leaves to the host's bundler (they are dependencies): one copy of each in a host's app,
 * so the SDK's `VexportError` the widget checks against is the class the host's client throws.
 */
const external = /^(lit|@lit\/context|@vexport\/sdk)(\/|$)/;

// Library mode. The npm build (`vexport-widget.js`) keeps lit, @lit/context and the SDK external; the
// standalone build (`vite build --mode standalone`, `vexport-widget.standalone.js`) bundles them into one file
// for a <script type="module"> page without a bundler. Both register every element; ffmpeg.wasm is never part
// of either: the optional @vexport/widget-ffmpeg add-on brings it.
export default defineConfig(({ mode }) => {
  const standalone = mode === 'standalone';
  return {
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
  };
});
