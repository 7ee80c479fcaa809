import { describe, expect, it } from 'vitest';
import { exportFileName, slugify } from './file-names.js';

describe('slugify', () => {
  it.each([
    ['Été à Nice!', 'ete-a-nice'],
    ['  --Beach   trip 2026--  ', 'beach-trip-2026'],
    ['日本語', ''],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('keeps the first and the last words of a long title, within the length', () => {
    const day1 = slugify(
      'Our summer holiday in the mountains of northern Spain with the whole family, day 1',
    );
    const day2 = slugify(
      'Our summer holiday in the mountains of northern Spain with the whole family, day 2',
    );
    expect(day1).toBe('our-summer-holiday-in-the-mountains-of--whole-family-day-1');
    expect(day1.length).toBeLessThanOrEqual(60);
    expect(day2).not.toBe(day1);
    expect(day2.endsWith('day-2')).toBe(true);
  });

  it('cuts a single word longer than the limit', () => {
    expect(slugify('a'.repeat(100), 40)).toBe('a'.repeat(40));
    expect(slugify(`${'b'.repeat(70)} end`)).toBe(`${'b'.repeat(55)}--end`);
  });

  it('never exceeds the limit, nor starts or ends with a dash', () => {
    for (let length = 1; length <= 90; length++) {
      const title = Array.from({ length }, (_, word) => `w${word}`).join(' ');
      for (const max of [1, 3, 10, 40, 60]) {
        const slug = slugify(title, max);
        expect(slug.length).toBeLessThanOrEqual(max);
        expect(slug).not.toMatch(/^-|-$/);
      }
    }
  });
});

describe('exportFileName', () => {
  it('names the export by its title, type and id, with the format as the extension', () => {
    const record = {
      id: '1a2b3c4d-0000-4000-8000-000000000000',
      export_type: 'combined',
      format: 'mov',
    } as const;
    expect(exportFileName('Beach trip', record)).toBe('beach-trip-combined-1a2b3c4d.mov');
    expect(exportFileName('???', { ...record, export_type: 'clips' })).toBe('export-clips-1a2b3c4d.zip');
  });
});
