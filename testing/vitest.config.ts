import { defineProject } from 'vitest/config';
import { workspaceSourceAliases } from '../vitest.shared.js';

// The media corpus: real-world and generated sources exported through the whole product, and the pure
// checks of its outputs (`npm run test:media` runs every case; `npm test` a slice).
export default defineProject({
  resolve: { alias: workspaceSourceAliases },
  test: {
    name: 'media',
    include: ['media/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
