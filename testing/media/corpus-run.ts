import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SOURCE_REFUSAL_CODES, type Export, type Video, type VexportClient } from '@vexport/sdk';
import { segmentsFor, type CorpusCase, type CorpusSource } from './corpus.js';
import {
  askedDurations,
  expectedPicture,
  outputProblems,
  type OutputProbe,
  type SourcePicture,
} from './output-checks.js';

const run = promisify(execFile);

/** How one export of the corpus came out: right when `problems` is empty. */
export interface CaseResult extends CorpusCase {
  problems: string[];
  /** The export the case created (none when the source was refused at probe, as it must be). */
  exportId?: string | undefined;
  /** Why a right case has no file: the source was refused at probe time, as it must be. */
  refusedBecause?: string | undefined;
}

export interface CorpusRunOptions {
  client: VexportClient;
  sources: readonly CorpusSource[];
  cases: readonly CorpusCase[];
  /** Where downloads and unpacked clips go. */
  workDir: string;
  /** Exports waiting or running at once: a little more than the worker runs, so it never idles. */
  exportsInFlight?: number;
  /** Called as each case finishes, for a run that takes long. */
  onCase?: (result: CaseResult) => void;
}

const RESOLUTION = '720p';
const QUALITY = 'medium';
const PROBE_TIMEOUT_MS = 5 * 60_000;
const EXPORT_TIMEOUT_MS = 20 * 60_000;

/** Runs `task` over `items`, at most `limit` at once. */
async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(lanes);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still not finished after ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** What the runner knows of an uploaded source. */
interface ProbedSource {
  source: CorpusSource;
  video: Video;
  picture: SourcePicture | undefined;
  hasAudio: boolean;
}

/** The source's first video stream and whether it has audio, read locally with ffprobe. */
async function readSource(path: string): Promise<Pick<ProbedSource, 'picture' | 'hasAudio'>> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=index,codec_type,width,height,sample_aspect_ratio:stream_side_data=rotation:stream_disposition=attached_pic',
    '-of',
    'json',
    path,
  ]);
  const { streams = [] } = JSON.parse(stdout) as OutputProbe;
  const video = streams.find((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic);
  return {
    picture: video && {
      width: video.width ?? 0,
      height: video.height ?? 0,
      sampleAspectRatio: video.sample_aspect_ratio,
      rotation: video.side_data_list?.find((data) => data.rotation !== undefined)?.rotation,
    },
    hasAudio: streams.some((stream) => stream.codec_type === 'audio'),
  };
}

async function uploadAndProbe(client: VexportClient, source: CorpusSource): Promise<ProbedSource> {
  const uploaded = await client.registerVideo({
    file: new Blob([await readFile(source.path)]),
    filename: source.name,
    title: source.name,
  });
  const video = await pollUntil(
    () => client.getVideo(uploaded.id),
    (current) => current.status === 'completed' || current.status === 'failed',
    PROBE_TIMEOUT_MS,
  );
  return { source, video, ...(await readSource(source.path)) };
}

/** Runs a tool to its end, whatever its exit status: a broken file makes ffmpeg fail, and that is a finding. */
function runToEnd(
  command: string,
  args: string[],
): Promise<{ stdout: string; stderr: string; failed: boolean }> {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 256 * 1024 * 1024, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ stdout, stderr, failed: error !== null }),
    );
  });
}

/**
 * The streams and every decoded frame of a file, and what the decoders complain about: ffprobe decodes every
 * frame to list it. (A decode through `ffmpeg -f null` also reports its own re-timing of frames for the null
 * muxer, "non monotonically increasing dts", for valid variable-frame-rate files.)
 */
export async function inspectOutput(path: string): Promise<{ probe: OutputProbe; decodeErrors: string }> {
  const probed = await runToEnd('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=index,codec_type,codec_name,width,height,sample_aspect_ratio,sample_rate:stream_side_data=rotation:stream_disposition=attached_pic:frame=stream_index,best_effort_timestamp_time,pkt_duration_time,duration_time,nb_samples',
    '-of',
    'json',
    path,
  ]);
  const parsed = (probed.failed ? {} : JSON.parse(probed.stdout)) as Partial<OutputProbe>;
  const decodeErrors = [probed.stderr.trim(), probed.failed ? 'ffprobe could not decode the file' : '']
    .filter(Boolean)
    .join('\n');
  return { probe: { streams: parsed.streams ?? [], frames: parsed.frames ?? [] }, decodeErrors };
}

/** The files of a ZIP, unpacked into `dir`, in the archive's order. */
async function unzip(zip: string, dir: string): Promise<string[]> {
  await run('python3', ['-m', 'zipfile', '-e', zip, dir]);
  const { stdout } = await run('python3', [
    '-c',
    'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
    zip,
  ]);
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((name) => join(dir, name));
}

/** Exports one case and checks what it delivered. */
async function runCase(
  client: VexportClient,
  probed: ProbedSource,
  testCase: CorpusCase,
  workDir: string,
): Promise<{ exportId: string; problems: string[] }> {
  const segments = segmentsFor(testCase.exportType, probed.video.duration_seconds ?? 0);
  // in the specification's names and the stored record's, which the API takes as their aliases
  const request = {
    export_type: testCase.exportType,
    resolution: RESOLUTION,
    format: testCase.format,
    quality: QUALITY,
    quality_preset: QUALITY,
    segments,
    segment_selections: segments,
  } as const;
  const created = await client.createExport(
    probed.video.id,
    request as unknown as Parameters<VexportClient['createExport']>[1],
  );
  const record: Export = await pollUntil(
    () => client.getExport(created.id),
    (current) => ['completed', 'failed', 'cancelled'].includes(current.status),
    EXPORT_TIMEOUT_MS,
  );
  const found = (problems: string[]) => ({ exportId: created.id, problems });
  if (record.status !== 'completed')
    return found([`export ${record.status}: ${record.error_message ?? 'no reason given'}`]);

  // the link itself, fetched here, so the run reads the bytes a person's browser would get
  const { url } = await client.getExportDownloadUrl(record.id);
  const response = await fetch(url);
  if (!response.ok) return found([`download answered ${response.status}`]);
  const download = join(workDir, `${record.id}.${testCase.exportType === 'clips' ? 'zip' : testCase.format}`);
  await writeFile(download, Buffer.from(await response.arrayBuffer()));
  const files =
    testCase.exportType === 'clips' ? await unzip(download, join(workDir, record.id)) : [download];
  const durations = askedDurations(testCase.exportType, segments);
  if (files.length !== durations.length)
    return found([`${files.length} files instead of ${durations.length}`]);

  const problems: string[] = [];
  for (const [index, file] of files.entries()) {
    const { probe, decodeErrors } = await inspectOutput(file);
    const wrong = outputProblems(
      probe,
      {
        format: testCase.format,
        durationSeconds: durations[index]!,
        hasAudio: probed.hasAudio,
        picture: expectedPicture(probed.picture!, RESOLUTION),
      },
      decodeErrors,
    );
    const prefix = files.length > 1 ? `clip ${index + 1}: ` : '';
    problems.push(...wrong.map((problem) => prefix + problem));
  }
  return found(problems);
}

/** Whether the probe's verdict on a source is right, before any export: a refusal must be, and only then. */
function probeVerdict(probed: ProbedSource): Pick<CaseResult, 'problems' | 'refusedBecause'> | undefined {
  const { video, source } = probed;
  if (source.refuse) {
    if (video.status !== 'failed' || !video.error_message)
      return { problems: [`probed as ${video.status}, though ${source.refuse}`] };
    if (!video.error_code || !SOURCE_REFUSAL_CODES.includes(video.error_code))
      return { problems: [`refused without a known error_code (${String(video.error_code)})`] };
    return { problems: [], refusedBecause: video.error_message };
  }
  if (video.status === 'failed')
    return { problems: [`refused at probe: ${video.error_message ?? 'no reason given'}`] };
  return undefined;
}

/**
 * Uploads every source the cases use, waits for each probe, then runs the cases (a few at a time, so the
 * worker stays busy without exports waiting long) and checks every delivered file. Resolves to one result
 * per case, in the order of `cases`.
 */
export async function runCorpus(options: CorpusRunOptions): Promise<CaseResult[]> {
  const { client, cases, workDir, exportsInFlight = 3, onCase } = options;
  await mkdir(workDir, { recursive: true });
  const used = options.sources.filter((source) => cases.some((testCase) => testCase.source === source.name));
  const probed = new Map<string, ProbedSource>();
  await forEachConcurrently(used, 2, async (source) => {
    probed.set(source.name, await uploadAndProbe(client, source));
  });

  const results = new Map<CorpusCase, CaseResult>();
  await forEachConcurrently(cases, exportsInFlight, async (testCase) => {
    const source = probed.get(testCase.source);
    let result: CaseResult;
    if (!source) {
      result = { ...testCase, problems: ['no such source in the corpus'] };
    } else {
      const verdict = probeVerdict(source);
      try {
        result = {
          ...testCase,
          ...(verdict ?? (await runCase(client, source, testCase, workDir))),
        };
      } catch (error) {
        result = { ...testCase, problems: [`run failed: ${(error as Error).message}`] };
      }
    }
    results.set(testCase, result);
    onCase?.(result);
  });
  return cases.map((testCase) => results.get(testCase)!);
}
