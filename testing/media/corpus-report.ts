import type { CaseResult } from './corpus-run.js';

const isRight = (result: CaseResult) => result.problems.length === 0;

/** "media: 118/135 right": the closing line of a corpus run. */
/** A case that came out wrong, in one line: its source, type, format and problems. */
export const describeWrong = (result: CaseResult): string =>
  `${result.source}, ${result.exportType} ${result.format}: ${result.problems.join('; ')}`;

export function summaryLine(results: readonly CaseResult[]): string {
  return `media: ${results.filter(isRight).length}/${results.length} right`;
}

function cell(result: CaseResult | undefined): string {
  if (!result) return '';
  if (!isRight(result)) return 'wrong';
  return result.refusedBecause ? 'refused' : 'right';
}

/**
 * The corpus run as Markdown: a table of file × type and format (right, refused as it must be, or wrong),
 * the reasons of each wrong case, and the summary line.
 */
export function formatReport(results: readonly CaseResult[]): string {
  const columns = [...new Set(results.map((result) => `${result.exportType} ${result.format}`))];
  const files = [...new Set(results.map((result) => result.source))];
  const find = (file: string, column: string) =>
    results.find((result) => result.source === file && `${result.exportType} ${result.format}` === column);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const table = [
    row(['file', ...columns]),
    row(['---', ...columns.map(() => '---')]),
    ...files.map((file) => row([file, ...columns.map((column) => cell(find(file, column)))])),
  ];
  const wrong = results
    .filter((result) => !isRight(result))
    .map(
      (result) => `- ${result.source}, ${result.exportType} ${result.format}: ${result.problems.join('; ')}`,
    );
  const refused = [
    ...new Map(
      results
        .filter((result) => result.refusedBecause)
        .map((result) => [result.source, `- ${result.source}: refused at probe, "${result.refusedBecause}"`]),
    ).values(),
  ];
  return [
    ...table,
    ...(refused.length > 0 ? ['', 'Refused at probe:', ...refused] : []),
    ...(wrong.length > 0 ? ['', 'Wrong:', ...wrong] : []),
    '',
    summaryLine(results),
  ].join('\n');
}
