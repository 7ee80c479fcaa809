import { defineConfig } from 'vite';

// Library mode: one ES module that registers every element; a host page needs only this one script.
export default defineConfig({
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
});
