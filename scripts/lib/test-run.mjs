import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from './log.mjs';
import { startTestServices } from './test-services.mjs';
import { startAppStack } from './app-stack.mjs';
import { startWidgetTestStack } from './widget-test-stack.mjs';

function runNode(root, args, env, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

function readJson(path) {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** Vitest projects over every package, against the services. */
function runVitest(root, vitestArgs, env, reportPath, coverage) {
  const args = [
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportPath}`,
    '--passWithNoTests',
    ...(coverage ? ['--coverage'] : []),
    ...vitestArgs,
  ];
  return runNode(root, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args], env);
}

/** The widget's component tests in real Chromium. */
function runComponentTests(root, env, countsPath, coverage) {
  const widget = join(root, 'packages/widget');
  const wtr = join(root, 'node_modules/@web/test-runner/dist/bin.js');
  return runNode(
    root,
    [wtr, '--config', 'web-test-runner.config.mjs', ...(coverage ? ['--coverage'] : [])],
    { ...env, VEXPORT_WTR_COUNTS: countsPath },
    widget,
  );
}

/** The end-to-end tests (Playwright, system Chromium) against the example apps on a full stack. */
async function runEndToEndTests(root, env, servicesEnv, reportPath) {
  const apps = Object.fromEntries(
    ['vanilla', 'react', 'vue'].map((name) => [name, join(root, 'examples', name, 'dist')]),
  );
  const stack = await startAppStack({ root, servicesEnv, apps });
  try {
    const stackDescription = JSON.stringify({
      urls: stack.urls,
      token: stack.token,
      videoId: stack.video.id,
      storageDir: stack.storageDir,
      workDir: stack.workDir,
    });
    const cli = join(root, 'node_modules/@playwright/test/cli.js');
    return await runNode(root, [cli, 'test', '-c', 'e2e/playwright.config.ts'], {
      ...env,
      VEXPORT_E2E_STACK: stackDescription,
      VEXPORT_E2E_REPORT: reportPath,
    });
  } finally {
    await stack.stop();
  }
}

/** Pass/fail counts from Playwright's JSON report. */
function readPlaywrightCounts(reportPath) {
  const report = readJson(reportPath);
  if (!report) return undefined;
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected,
    skipped: report.stats.skipped,
  };
}

/**
 * Failures in vitest's JSON report: failed tests, plus files that failed without a failed test (one that did
 * not load, or a hook that threw), and at least one when vitest exited with an error and reported nothing.
 */
function countVitestFailures(report, exitCode) {
  if (!report) return exitCode !== 0 ? 1 : 0;
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  const failed = report.numFailedTests + brokenFiles;
  return exitCode !== 0 && failed === 0 ? 1 : failed;
}

/**
 * Runs vitest over every project, then the component tests, with the throwaway services; prints the plain
 * closing line CI reads and resolves to an exit code. Arguments narrow the vitest run (and skip the
 * component tests unless they name the widget). `coverage` measures the vitest and component runs and
 * leaves out the end-to-end tests (their code runs in other processes).
 */
export async function runTests({ root, vitestArgs, coverage = false }) {
  const services = await startTestServices();
  const reportDir = mkdtempSync(join(tmpdir(), 'vexport-report-'));
  const env = { ...process.env, ...services.env };
  try {
    const vitestReport = join(reportDir, 'vitest.json');
    const vitestCode = await runVitest(root, vitestArgs, env, vitestReport, coverage);
    const runWidget = vitestArgs.length === 0 || vitestArgs.some((arg) => arg.includes('widget'));
    const wtrCounts = join(reportDir, 'wtr.json');
    let wtrCode = 0;
    if (runWidget) {
      const stack = await startWidgetTestStack({ root, servicesEnv: services.env });
      try {
        wtrCode = await runComponentTests(root, { ...env, ...stack.env }, wtrCounts, coverage);
      } finally {
        await stack.stop();
      }
    }

    const runE2e = !coverage && (vitestArgs.length === 0 || vitestArgs.some((arg) => arg.includes('e2e')));
    const e2eReport = join(reportDir, 'e2e.json');
    const e2eCode = runE2e ? await runEndToEndTests(root, env, services.env, e2eReport) : 0;

    const vitest = readJson(vitestReport);
    const wtr = readJson(wtrCounts) ?? { passed: 0, failed: runWidget && wtrCode !== 0 ? 1 : 0 };
    const e2e = readPlaywrightCounts(e2eReport) ?? {
      passed: 0,
      failed: runE2e && e2eCode !== 0 ? 1 : 0,
      skipped: 0,
    };
    const passed = (vitest?.numPassedTests ?? 0) + wtr.passed + e2e.passed;
    const failed = countVitestFailures(vitest, vitestCode) + wtr.failed + e2e.failed;
    const skipped = (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + e2e.skipped;
    log.step(
      `vitest: ${vitest?.numPassedTests ?? 0} passed; components in Chromium: ${wtr.passed} passed; end-to-end: ${e2e.passed} passed`,
    );
    console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    return [vitestCode, wtrCode, e2eCode].find((code) => code !== 0) ?? 0;
  } finally {
    await services.stop();
    rmSync(reportDir, { recursive: true, force: true });
  }
}
