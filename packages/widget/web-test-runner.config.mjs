// Component tests in the system Chromium (never a downloaded browser), through Playwright.
import { writeFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Writes pass/fail counts for scripts/test.mjs's closing summary, when it asks for them. */
function countsReporter(path) {
  return {
    onTestRunFinished({ sessions }) {
      if (!path) return;
      let passed = 0;
      let failed = 0;
      const walk = (suite) => {
        for (const test of suite?.tests ?? []) {
          if (test.passed) passed += 1;
          else failed += 1;
        }
        for (const child of suite?.suites ?? []) walk(child);
      };
      for (const session of sessions) {
        walk(session.testResults);
        if (!session.passed && !session.testResults) failed += 1;
      }
      writeFileSync(path, JSON.stringify({ passed, failed }));
    },
  };
}

/** What the test stack started (API, token, probed video), for tests that drive the real API. */
const testStack = {
  apiBase: process.env.VEXPORT_TEST_API ?? '',
  token: process.env.VEXPORT_TEST_TOKEN ?? '',
  jwtSecret: process.env.VEXPORT_TEST_JWT_SECRET ?? '',
  videoId: process.env.VEXPORT_TEST_VIDEO_ID ?? '',
  videoDuration: Number(process.env.VEXPORT_TEST_VIDEO_DURATION ?? 0),
  sharedKey: process.env.VEXPORT_TEST_SHARED_KEY ?? '',
};

export default {
  files: ['src/**/*.test.ts'],
  testRunnerHtml: (testFramework) => `<html><body>
    <script>window.__VEXPORT_TEST__ = ${JSON.stringify(testStack)};</script>
    <script type="module" src="${testFramework}"></script>
  </body></html>`,
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: CHROMIUM_FLAGS,
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 60_000 } },
  testsFinishTimeout: 600_000,
  reporters: [defaultReporter(), summaryReporter(), countsReporter(process.env.VEXPORT_WTR_COUNTS)],
};
