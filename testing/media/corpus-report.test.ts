import { describe, expect, it } from 'vitest';
import { formatReport, summaryLine } from './corpus-report.js';
import type { CaseResult } from './corpus-run.js';

const results: CaseResult[] = [
  { source: 'a.mp4', exportType: 'single', format: 'mp4', problems: [] },
  {
    source: 'a.mp4',
    exportType: 'combined',
    format: 'webm',
    problems: ['video lasts 2.520 s instead of 5.520 s', 'decode errors: x'],
  },
  { source: 'b.mp4', exportType: 'single', format: 'mp4', problems: [], refusedBecause: 'No video.' },
  { source: 'b.mp4', exportType: 'combined', format: 'webm', problems: [], refusedBecause: 'No video.' },
];

describe('formatReport', () => {
  it('tables file × type and format, lists why each wrong case is wrong, and ends with the count', () => {
    expect(formatReport(results)).toBe(
      [
        '| file | single mp4 | combined webm |',
        '| --- | --- | --- |',
        '| a.mp4 | right | wrong |',
        '| b.mp4 | refused | refused |',
        '',
        'Refused at probe:',
        '- b.mp4: refused at probe, "No video."',
        '',
        'Wrong:',
        '- a.mp4, combined webm: video lasts 2.520 s instead of 5.520 s; decode errors: x',
        '',
        'media: 3/4 right',
      ].join('\n'),
    );
  });

  it('counts a run with nothing wrong as all right', () => {
    expect(summaryLine(results.filter((result) => result.problems.length === 0))).toBe('media: 3/3 right');
  });
});
