import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../chaos/support/stack.js';
import { FAST_SLICE, everyCase, realWorldSources, type CorpusSource } from './corpus.js';
import { describeWrong, formatReport } from './corpus-report.js';
import { runCorpus } from './corpus-run.js';
import { createVariableRateSources, createVp9TenBitSource, namedSources } from './generated-sources.js';

/** `npm run test:media` sets this: every source in every type and format, instead of the slice. */
const FULL = process.env.VEXPORT_MEDIA_FULL === '1';
/** A pattern of source names to run alone (`VEXPORT_MEDIA_ONLY=rotate npm run test:media`), for work on a few files. */
const ONLY = process.env.VEXPORT_MEDIA_ONLY ? new RegExp(process.env.VEXPORT_MEDIA_ONLY) : undefined;

describe('media corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-media-corpus-'));
  let stack: Stack;
  let sources: CorpusSource[];

  beforeAll(async () => {
    const [started, generated, vp9TenBit] = await Promise.all([
      startStack({
        user: 'media-corpus',
        // every upload and export of the run counts against the per-user hourly limits
        env: { VIDEO_RATE_LIMIT_PER_HOUR: '100000', EXPORT_RATE_LIMIT_PER_HOUR: '100000' },
      }),
      // the slice uses none of them, and their own test makes them in `npm test`
      FULL ? createVariableRateSources(dir) : undefined,
      FULL ? createVp9TenBitSource(dir) : undefined,
    ]);
    stack = started;
    sources = [
      ...realWorldSources(),
      ...(generated ? namedSources(generated) : []),
      ...(vp9TenBit ? [vp9TenBit] : []),
    ];
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    FULL
      ? 'every corpus and generated source exports right as single, combined and clips in mp4, mov and webm, or is refused at probe'
      : 'a slice of the corpus (MOV with PCM, VP9 WebM, AVI, MPEG-2 in TS, FLV, an edit list, a TS cut mid-GOP, Matroska without a duration, a file without video) exports right or is refused at probe',
    async () => {
      const cases = (FULL ? everyCase(sources) : FAST_SLICE).filter(
        (testCase) => !ONLY || ONLY.test(testCase.source),
      );
      let done = 0;
      const results = await runCorpus({
        client: stack.client,
        sources,
        cases,
        workDir: join(dir, 'outputs'),
        onCase: (result) => {
          done += 1;
          const verdict = result.problems.length === 0 ? 'right' : `wrong: ${result.problems.join('; ')}`;
          console.log(
            `[${done}/${cases.length}] ${result.source} ${result.exportType} ${result.format}: ${verdict}`,
          );
        },
      });
      console.log(formatReport(results));
      expect(results.filter((result) => result.problems.length > 0).map(describeWrong)).toEqual([]);
    },
    FULL ? 3 * 60 * 60_000 : 600_000,
  );
});
