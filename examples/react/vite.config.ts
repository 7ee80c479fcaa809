import { defineConfig } from 'vite';

// `npm run dev` proxies API calls to a running `npm start` (PORT 8080 unless VEXPORT_API says otherwise).
const api = process.env.VEXPORT_API ?? 'http://localhost:8080';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': api, '/demo-config.json': api } },
});
