// Component tests in the system Chromium (never a downloaded browser), through Playwright.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const widgetDir = dirname(fileURLToPath(import.meta.url));
const screenshotDir = join(widgetDir, '../../docs/images/components');

/**
 * `vexport-screenshot`: saves a PNG of the element matching `selector` to docs/images/components/{name}.png,
 * so the docs show every component as the tests last rendered it.
 */
function screenshotCommand() {
  return {
    name: 'vexport-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'vexport-screenshot') return undefined;
      const page = session.browser.getPage(session.id);
      mkdirSync(screenshotDir, { recursive: true });
      await page
        .locator(payload.selector)
        .first()
        .screenshot({ path: join(screenshotDir, `${payload.name}.png`), animations: 'disabled' });
      return true;
    },
  };
}

/** What the test stack started (API, token, probed video), for tests that drive the real API. */
const testStack = {
  apiBase: process.env.VEXPORT_TEST_API ?? '',
  apiWithoutCors: process.env.VEXPORT_TEST_API_WITHOUT_CORS ?? '',
  token: process.env.VEXPORT_TEST_TOKEN ?? '',
  jwtSecret: process.env.VEXPORT_TEST_JWT_SECRET ?? '',
  videoId: process.env.VEXPORT_TEST_VIDEO_ID ?? '',
  videoDuration: Number(process.env.VEXPORT_TEST_VIDEO_DURATION ?? 0),
  sharedKey: process.env.VEXPORT_TEST_SHARED_KEY ?? '',
};

export default {
  files: ['src/**/*.test.ts'],
  // the repository root, so that tests can load ffmpeg.wasm's cores from node_modules
  rootDir: '../../',
  testRunnerHtml: (testFramework) => `<html><body>
    <script>window.__VEXPORT_TEST__ = ${JSON.stringify(testStack)};</script>
    <script type="module" src="${testFramework}"></script>
  </body></html>`,
  nodeResolve: true,
  plugins: [
    screenshotCommand(),
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }),
  ],
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
  // used by `npm run coverage` (wtr --coverage): V8 coverage of the widget's sources in Chromium
  coverageConfig: {
    include: [join(widgetDir, 'src/**/*.ts')],
    exclude: ['**/*.test.ts', '**/test-stack.ts'],
    reportDir: join(widgetDir, '../../coverage/widget'),
    reporters: ['json-summary', 'html'],
  },
  testFramework: { config: { timeout: 60_000 } },
  testsFinishTimeout: 600_000,
  reporters: [defaultReporter(), summaryReporter(), countsReporter(process.env.VEXPORT_WTR_COUNTS)],
};
