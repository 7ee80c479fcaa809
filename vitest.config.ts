import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'scripts/vitest.config.ts',
      'chaos/vitest.config.ts',
      'testing/vitest.config.ts',
    ],
    // used by `npm run coverage` (vitest --coverage); the widget's coverage comes from its Chromium run
    coverage: {
      provider: 'v8',
      include: ['packages/{sdk,db,storage,queue,server,worker}/src/**/*.ts'],
      exclude: ['**/*.test.ts', '**/*.d.ts', 'packages/*/src/main.ts', 'packages/server/src/cli.ts'],
      reporter: ['json-summary', 'html'],
      reportsDirectory: 'coverage/node',
    },
  },
});
