import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // vexport's tags are custom elements for the browser to create, not Vue components to resolve
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.includes('-') } } })],
  build: { target: 'es2022' },
});
