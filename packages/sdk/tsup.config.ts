import { defineConfig } from 'tsup';

// One output file per source module (no bundling), so that with `sideEffects: false` an app's bundler keeps
// only the modules it uses: the client and the value lists never pull in zod.
export default defineConfig({
  entry: ['src/**/*.ts', '!src/**/*.test.ts'],
  bundle: false,
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
