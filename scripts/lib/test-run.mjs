import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from './log.mjs';
import { startTestServices } from './test-services.mjs';

function runVitest(root, args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args], {
      cwd: root,
      env,
      stdio: 'inherit',
    });
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

/** Counts from vitest's JSON report, printed as the plain closing line CI reads. */
function printSummary(reportPath) {
  if (!existsSync(reportPath)) return;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  log.step(`${report.numTotalTestSuites} suites`);
  console.log(
    `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`,
  );
}

/** Runs vitest over every project with the throwaway services; resolves to its exit code. */
export async function runTests({ root, vitestArgs }) {
  const services = await startTestServices();
  const reportDir = mkdtempSync(join(tmpdir(), 'vexport-report-'));
  const reportPath = join(reportDir, 'vitest.json');
  try {
    const args = ['--reporter=default', '--reporter=json', `--outputFile.json=${reportPath}`, ...vitestArgs];
    const code = await runVitest(root, args, { ...process.env, ...services.env });
    printSummary(reportPath);
    return code;
  } finally {
    await services.stop();
    rmSync(reportDir, { recursive: true, force: true });
  }
}
