import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMATS, type ExportType } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorker, startStack, type Stack } from '../../chaos/support/stack.js';
import { realWorldSources, type CorpusCase, type CorpusSource } from './corpus.js';
import { describeWrong, formatReport } from './corpus-report.js';
import { runCorpus } from './corpus-run.js';
import { createVariableRateSources, namedSources } from './generated-sources.js';

/** `npm run test:media` sets this: every source, single and combined, in every format. */
const FULL = process.env.VEXPORT_MEDIA_FULL === '1';

/**
 * The slice `npm test` runs: sources whose timing is most likely to break a seam, each one that the planner
 * splits on its keyframes — B-frames behind an edit list without audio, a shifting edit list, HEVC, VP9 with
 * alpha, a rotated phone recording, and a still picture with silence.
 */
const CHUNKED_SLICE: readonly CorpusCase[] = [
  { source: 'androidx--mp4-iibbibb_editlist_videoonly.mp4', exportType: 'single', format: 'webm' },
  { source: 'androidx--mp4-edit_list_positive_shift.mp4', exportType: 'single', format: 'webm' },
  { source: 'mediabunny--video-h265.mp4', exportType: 'combined', format: 'mov' },
  { source: 'mediabunny--transparency.webm', exportType: 'single', format: 'mp4' },
  {
    source: 'androidx--mp4-internal_emulator_transformer_output_270_rotated.mp4',
    exportType: 'single',
    format: 'mp4',
  },
  { source: 'androidx--mp4-silent-black-25s.mp4', exportType: 'combined', format: 'webm' },
];

/** Clips are never chunked (each clip is short and its own file): single and combined in every format. */
const CHUNKABLE_TYPES: readonly ExportType[] = ['single', 'combined'];

/**
 * The corpus again, through two workers that split every re-encode of 3 s or more into chunks of 1–2 s (the
 * shipped settings are 60 s and 10–30 s; the same code at a scale these short files reach): the delivered
 * file must pass the same checks as the single-worker export's — its frames, durations, picture, audio
 * and decoders.
 */
describe('media corpus, chunked across two workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexport-chunked-corpus-'));
  let stack: Stack;
  let sources: CorpusSource[];
  const splitExports = new Set<string>();

  beforeAll(async () => {
    const [started, generated] = await Promise.all([
      startStack({
        user: 'chunked-corpus',
        env: {
          VIDEO_RATE_LIMIT_PER_HOUR: '100000',
          EXPORT_RATE_LIMIT_PER_HOUR: '100000',
          CHUNK_MIN_OUTPUT_SECONDS: '3',
          CHUNK_MIN_SECONDS: '1',
          CHUNK_MAX_SECONDS: '2',
          // the split's log line says which exports were chunked
          LOG_LEVEL: 'info',
        },
        onWorkerLine: (line) => {
          if (!line.startsWith('{')) return;
          const entry = JSON.parse(line) as { msg?: string; exportId?: string };
          if (entry.msg === 'export split into chunks' && entry.exportId) splitExports.add(entry.exportId);
        },
      }),
      FULL ? createVariableRateSources(dir) : undefined,
    ]);
    stack = started;
    await addWorker(stack, 2);
    sources = [...realWorldSources(), ...(generated ? namedSources(generated) : [])];
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    FULL
      ? 'every corpus and generated source exports right as single and combined in every format when chunked'
      : 'sources with edit lists, HEVC, VP9 with alpha, rotation and a still picture export right when chunked',
    async () => {
      const cases = FULL
        ? sources.flatMap((source) =>
            CHUNKABLE_TYPES.flatMap((exportType) =>
              FORMATS.map((format) => ({ source: source.name, exportType, format })),
            ),
          )
        : CHUNKED_SLICE;
      const results = await runCorpus({
        client: stack.client,
        sources,
        cases,
        workDir: join(dir, 'outputs'),
        exportsInFlight: 2,
      });
      const split = results.filter((result) => result.exportId && splitExports.has(result.exportId));
      console.log(formatReport(results));
      console.log(
        `${split.length} of ${results.length} exports were split into chunks:\n${split
          .map((result) => `  ${result.source} ${result.exportType} ${result.format}`)
          .join('\n')}`,
      );
      expect(results.filter((result) => result.problems.length > 0).map(describeWrong)).toEqual([]);
      // the slice's cases are chosen to re-encode on keyframes 1–2 s apart: each must have been split
      if (!FULL) expect(split.map((result) => result.source)).toEqual(CHUNKED_SLICE.map((c) => c.source));
    },
    FULL ? 3 * 60 * 60_000 : 600_000,
  );
});
