import { defineProject } from 'vitest/config';
import { workspaceSourceAliases } from '../vitest.shared.js';

// Fault tests against the whole product on the throwaway services (`npm run test:chaos` runs every one in
// full; `npm test` runs the short form).
export default defineProject({
  resolve: { alias: workspaceSourceAliases },
  test: {
    name: 'chaos',
    include: ['**/*.test.ts'],
    environment: 'node',
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
