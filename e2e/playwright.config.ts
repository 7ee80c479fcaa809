import { defineConfig } from '@playwright/test';

// End-to-end tests in the system Chromium (never a downloaded browser), run by `npm test` against the whole
// product that scripts/lib/app-stack.mjs starts: one API per example app, one worker, real services.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: process.env.VEXPORT_E2E_REPORT ?? 'test-results/e2e.json' }]],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    acceptDownloads: true,
    trace: 'off',
  },
});
