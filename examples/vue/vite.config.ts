import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const api = process.env.VEXPORT_API ?? 'http://localhost:8080';
const VEXPORT_TAGS = new Set([
  'vexport-provider',
  'export-modal',
  'export-progress',
  'exports-list',
  'export-settings',
]);

export default defineConfig({
  // Vue must leave vexport's tags to the browser (they are custom elements, not Vue components).
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => VEXPORT_TAGS.has(tag) } } })],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': api, '/demo-config.json': api } },
});
