// `npm run coverage`: runs the vitest suites and the widget's component tests with V8 coverage against the
// same throwaway services as `npm test`, then prints line and statement coverage per package and for the
// export code as a whole (sdk + server + worker + widget). Reports: coverage/node, coverage/widget (HTML),
// coverage/summary.json.
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  BROWSER_TOOLS,
  MEDIA_TOOLS,
  REDIS_TOOLS,
  buildPackages,
  ensureNodeModules,
  ensureSystemTools,
} from './lib/bootstrap.mjs';
import { log, runScript } from './lib/log.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['sdk', 'server', 'worker', 'widget', 'db', 'storage', 'queue'];
/** The packages the issue counts as "the export code". */
const EXPORT_CODE = ['sdk', 'server', 'worker', 'widget'];
const TARGET_PERCENT = 90;

function readSummary(path) {
  if (!existsSync(path)) throw new Error(`no coverage summary at ${relative(root, path)}`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Sums istanbul json-summary file entries into one total per package. */
function totalsByPackage(summaries) {
  const totals = Object.fromEntries(
    PACKAGES.map((name) => [name, { lines: { covered: 0, total: 0 }, statements: { covered: 0, total: 0 } }]),
  );
  for (const summary of summaries) {
    for (const [file, figures] of Object.entries(summary)) {
      if (file === 'total') continue;
      const match = /packages\/([^/]+)\/src\//.exec(file.replaceAll('\\', '/'));
      const bucket = match && totals[match[1]];
      if (!bucket) continue;
      for (const kind of ['lines', 'statements']) {
        bucket[kind].covered += figures[kind].covered;
        bucket[kind].total += figures[kind].total;
      }
    }
  }
  return totals;
}

const percent = ({ covered, total }) => (total === 0 ? 100 : (covered / total) * 100);

function sum(totals, names) {
  const add = (kind) =>
    names.reduce(
      (acc, name) => ({
        covered: acc.covered + totals[name][kind].covered,
        total: acc.total + totals[name][kind].total,
      }),
      { covered: 0, total: 0 },
    );
  return { lines: add('lines'), statements: add('statements') };
}

async function main() {
  ensureNodeModules(root);
  ensureSystemTools([...MEDIA_TOOLS, ...REDIS_TOOLS, ...BROWSER_TOOLS]);
  buildPackages(root);
  rmSync(join(root, 'coverage'), { recursive: true, force: true });
  const { runTests } = await import('./lib/test-run.mjs');
  const code = await runTests({ root, vitestArgs: process.argv.slice(2), coverage: true });

  const totals = totalsByPackage([
    readSummary(join(root, 'coverage/node/coverage-summary.json')),
    readSummary(join(root, 'coverage/widget/coverage-summary.json')),
  ]);
  const exportCode = sum(totals, EXPORT_CODE);
  const rows = [...PACKAGES.map((name) => [name, totals[name]]), ['export code', exportCode]];
  console.log('\ncoverage        lines     statements');
  for (const [name, figures] of rows) {
    console.log(
      `${name.padEnd(14)} ${percent(figures.lines).toFixed(1).padStart(6)}%   ${percent(figures.statements).toFixed(1).padStart(6)}%`,
    );
  }
  mkdirSync(join(root, 'coverage'), { recursive: true });
  writeFileSync(
    join(root, 'coverage/summary.json'),
    `${JSON.stringify(
      Object.fromEntries(
        rows.map(([name, figures]) => [
          name,
          { lines: percent(figures.lines), statements: percent(figures.statements) },
        ]),
      ),
      null,
      2,
    )}\n`,
  );
  const exportLines = percent(exportCode.lines);
  if (exportLines < TARGET_PERCENT)
    log.warn(`export code line coverage ${exportLines.toFixed(1)}% is below the ${TARGET_PERCENT}% aim`);
  process.exitCode = code;
}

await runScript(main);
process.exit(process.exitCode ?? 0);
