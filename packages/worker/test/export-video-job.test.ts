import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createSequelize,
  initModels,
  migrateToLatest,
  type Export,
  type ExportAttributes,
  type Models,
} from '@vexport/db';
import { RedisKeys, type ExportProgress } from '@vexport/sdk';
import { LocalDiskStorage, S3Storage, type ObjectStorage } from '@vexport/storage';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countFrames,
  createOpenGopSource,
  createSyncSource,
  createTestMedia,
  createUnusualSources,
  framePsnr,
  matchFrames,
  measureFlashesAndBeeps,
  thumbnailFrames,
  type TestMedia,
  type UnusualSources,
} from '../../../testing/media.js';
import { createTestDatabase, serviceEnv, uniqueName } from '../../../testing/services.js';
import { probeFile } from '../src/ffmpeg/ffprobe.js';
import { CancelWatcher } from '../src/jobs/cancel-watcher.js';
import { ExportSlots } from '../src/jobs/export-slots.js';
import { runExportVideoJob, type ExportJobContext } from '../src/jobs/export-video-job.js';
import { JobWorkspace } from '../src/workspace/job-workspace.js';

const execFileAsync = promisify(execFile);

describe('export_video job with real ffmpeg, PostgreSQL, Redis and storage', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-export-'));
  const workRoot = join(scratch, 'work');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;
  let models: Models;
  let redis: Redis;
  let media: TestMedia;
  let syncSource: string;
  let storage: LocalDiskStorage;
  let cancels: CancelWatcher;
  let context: ExportJobContext;
  let userId: string;
  const videoIds: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await migrateToLatest(sequelize);
    models = initModels(sequelize);
    redis = new Redis(serviceEnv('REDIS_URL'));
    media = await createTestMedia(scratch);
    syncSource = join(scratch, 'sync.mp4');
    await createSyncSource(syncSource);
    storage = new LocalDiskStorage({ root: join(scratch, 'storage') });
    cancels = new CancelWatcher(redis);
    context = {
      models,
      redis,
      storage,
      workspace: new JobWorkspace(workRoot),
      slots: new ExportSlots(
        redis,
        { global: 5, perUser: 5, leaseMs: 30_000 },
        { token: 'test-worker', namespace: uniqueName('slots') },
      ),
      cancels,
      logger: pino({ level: 'silent' }),
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      encoder: 'libx264',
      allowPrivateSourceUrls: false,
      maxSourceBytes: 100 * 1024 * 1024,
      jobTimeoutMs: 120_000,
      memoryLimitBytes: 2 * 1024 ** 3,
      uploadAttempts: 3,
      uploadBackoffMs: 10,
      cdnBaseUrl: undefined,
    };
    userId = (await models.User.create({ external_id: 'exporter' })).id;
    for (const [name, path] of Object.entries({ ...media, sync: syncSource })) {
      const key = `uploads/${userId}/${name}/source.mp4`;
      await storage.put(key, { filePath: path });
      const probe = name === 'corrupt' ? undefined : await probeFile('ffprobe', path);
      const video = await models.Video.create({
        user_id: userId,
        title: `Test ${name}`,
        source: key,
        status: 'completed',
        duration_seconds: probe?.durationSeconds ?? 10,
      });
      videoIds[name] = video.id;
    }
  });

  afterAll(async () => {
    await cancels.close();
    await redis.quit();
    await sequelize.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function createExport(
    video: string,
    request: Pick<
      ExportAttributes,
      'export_type' | 'resolution' | 'format' | 'quality_preset' | 'segment_selections'
    >,
  ) {
    return models.Export.create({
      user_id: userId,
      video_id: videoIds[video]!,
      ...request,
      total_duration_seconds: request.segment_selections.reduce(
        (sum, s) => sum + s.end_time - s.start_time,
        0,
      ),
    });
  }

  async function download(record: Export, using: ObjectStorage = storage): Promise<string> {
    const path = join(scratch, `${record.id}-${record.output_s3_key!.split('/').pop()}`);
    await pipeline(await using.get(record.output_s3_key!), createWriteStream(path));
    return path;
  }

  const CODECS = { mp4: ['h264', 'aac'], mov: ['h264', 'aac'], webm: ['vp9', 'opus'] } as const;
  const SIZES = { '720p': { width: 1280, height: 720 }, '1080p': { width: 1920, height: 1080 } } as const;
  const SEGMENTS = {
    single: [{ start_time: 0.5, end_time: 1.5 }],
    combined: [
      { start_time: 0.5, end_time: 1.5 },
      { start_time: 2.2, end_time: 3.1 },
    ],
    clips: [
      { start_time: 0, end_time: 1, label: 'Opening shot' },
      { start_time: 3, end_time: 4 },
    ],
  } as const;

  describe.each(['mp4', 'mov', 'webm'] as const)('%s', (format) => {
    describe.each(['720p', '1080p'] as const)('at %s', (resolution) => {
      it.each(['single', 'combined'] as const)(
        '%s: one file of the summed length, in the asked codecs and size',
        async (exportType) => {
          const record = await createExport('landscape', {
            export_type: exportType,
            resolution,
            format,
            quality_preset: 'low',
            segment_selections: [...SEGMENTS[exportType]],
          });
          expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
          await record.reload();
          expect(record).toMatchObject({
            status: 'completed',
            progress_percentage: 100,
            error_message: null,
          });
          expect(record.output_s3_key).toMatch(
            new RegExp(
              `^exports/${userId}/${record.id}/test-landscape-${exportType}-[0-9a-f]{8}\\.${format}$`,
            ),
          );
          expect(record.output_url).toBe(`/api/exports/${record.id}/download`);
          const probe = await probeFile('ffprobe', await download(record));
          expect([probe.video.codec, probe.audio?.codec]).toEqual(CODECS[format]);
          expect({ width: probe.video.width, height: probe.video.height }).toEqual(SIZES[resolution]);
          expect(Math.abs(probe.durationSeconds - record.total_duration_seconds)).toBeLessThan(
            1 / 30 + 0.025,
          );
          expect(record.file_size_bytes).toBeGreaterThan(1000);
          // the source is 1280×720: its 1080p export is larger than it, and the record says so
          expect(record.upscaled).toBe(resolution === '1080p');
        },
      );

      it('clips: a ZIP of one file per segment, with readable names', async () => {
        const record = await createExport('landscape', {
          export_type: 'clips',
          resolution,
          format,
          quality_preset: 'low',
          segment_selections: [...SEGMENTS.clips],
        });
        expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
        await record.reload();
        expect(record.output_s3_key).toMatch(/\.zip$/);
        const zip = await download(record);
        const unpacked = join(scratch, `unzipped-${record.id}`);
        await execFileAsync('python3', ['-m', 'zipfile', '-e', zip, unpacked]);
        const names = (
          await execFileAsync('python3', [
            '-c',
            'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
            zip,
          ])
        ).stdout
          .trim()
          .split('\n');
        expect(names).toEqual([`01-opening-shot-00m00s-00m01s.${format}`, `02-clip-00m03s-00m04s.${format}`]);
        for (const name of names) {
          const probe = await probeFile('ffprobe', join(unpacked, name));
          expect(probe.durationSeconds).toBeCloseTo(1, 1);
          expect([probe.video.codec, probe.video.width, probe.video.height]).toEqual([
            CODECS[format][0],
            SIZES[resolution].width,
            SIZES[resolution].height,
          ]);
        }
      });
    });
  });

  describe('sources in other codecs and shapes', () => {
    let sources: UnusualSources;
    beforeAll(async () => {
      sources = await createUnusualSources(scratch);
    });

    it.each(['hevc', 'vp9', 'prores', 'mpeg2', 'variableFrameRate', 'oddDimensions'] as const)(
      '%s exports correctly',
      async (name) => {
        const path = sources[name];
        const key = `uploads/${userId}/${name}/source`;
        await storage.put(key, { filePath: path });
        const sourceProbe = await probeFile('ffprobe', path);
        const video = await models.Video.create({
          user_id: userId,
          title: name,
          source: key,
          status: 'completed',
          duration_seconds: sourceProbe.durationSeconds,
        });
        const record = await models.Export.create({
          user_id: userId,
          video_id: video.id,
          export_type: 'combined',
          resolution: '720p',
          format: 'mp4',
          quality_preset: 'low',
          segment_selections: [
            { start_time: 0, end_time: 0.8 },
            { start_time: 1, end_time: sourceProbe.durationSeconds },
          ],
          total_duration_seconds: 0.8 + sourceProbe.durationSeconds - 1,
        });
        expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
        await record.reload();
        const probe = await probeFile('ffprobe', await download(record));
        expect([probe.video.codec, probe.audio?.codec]).toEqual(['h264', 'aac']);
        expect(probe.video.height).toBe(720);
        expect(probe.video.width % 2).toBe(0);
        expect(Math.abs(probe.durationSeconds - record.total_duration_seconds)).toBeLessThan(0.1);
      },
    );
  });

  it('exports a single segment starting at 0 and ending at the very end, frame-exact', async () => {
    const record = await createExport('landscape', {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'medium',
      segment_selections: [{ start_time: 0, end_time: 4 }],
    });
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
    await record.reload();
    expect(await countFrames(await download(record))).toBe(120);
  });

  it('makes 4k from a tiny source', async () => {
    const record = await createExport('silent', {
      export_type: 'single',
      resolution: '4k',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 1, end_time: 1.5 }],
    });
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
    await record.reload();
    const probe = await probeFile('ffprobe', await download(record));
    expect(probe.video).toMatchObject({ width: 3840, height: 2160 });
    expect(probe.audio).toBeUndefined();
  });

  it('reframes a landscape video to portrait with bars and normalises its loudness to the target', async () => {
    const record = await models.Export.create({
      user_id: userId,
      video_id: videoIds.landscape!,
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 4 }],
      total_duration_seconds: 4,
      framing: '9:16',
      framing_fit: 'pad',
      loudness_lufs: -16,
    });
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
    await record.reload();
    const output = await download(record);
    const probe = await probeFile('ffprobe', output);
    expect(probe.video).toMatchObject({ width: 720, height: 1280, sampleAspectRatio: 1 });
    // the 1280×720 picture fits 720×405 in the middle: black above and below it
    const { stdout: top } = await execFileAsync('ffmpeg', [
      ...['-v', 'error', '-ss', '1', '-i', output, '-frames:v', '1'],
      ...[
        '-vf',
        'crop=720:300:0:0,signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-',
        '-f',
        'null',
        '-',
      ],
    ]);
    expect(Number(/YAVG=([\d.]+)/.exec(top)![1])).toBeLessThan(20);
    const { stderr } = await execFileAsync('ffmpeg', [
      ...['-nostats', '-i', output, '-af', 'ebur128', '-f', 'null', '-'],
    ]);
    const integrated = Number(/Integrated loudness:\s+I:\s+(-?[\d.]+) LUFS/.exec(stderr)![1]);
    expect(Math.abs(integrated - -16)).toBeLessThanOrEqual(1);
  });

  it('keeps a portrait phone video portrait', async () => {
    const record = await createExport('portrait', {
      export_type: 'single',
      resolution: '720p',
      format: 'webm',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
    await record.reload();
    const probe = await probeFile('ffprobe', await download(record));
    expect(probe.video).toMatchObject({ width: 720, height: 1280, rotation: 0 });
  });

  it('keeps audio and video in sync across the joins of a combined export', async () => {
    const record = await createExport('sync', {
      export_type: 'combined',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'medium',
      segment_selections: [
        { start_time: 0.5, end_time: 2.55 },
        { start_time: 2.9, end_time: 3.95 },
      ],
    });
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
    await record.reload();
    const output = await download(record);
    const duration = (await probeFile('ffprobe', output)).durationSeconds;
    const { flashes, beeps } = await measureFlashesAndBeeps(output);
    const onsets = (times: number[]) => times.filter((time) => time < duration - 0.05);
    // Segment 1 holds the 62 frames from 0.5 s (2.0667 s); the flashes at source 1.0 and 2.0 land at 0.5
    // and 1.5, the one at source 3.0 (0.1 s into segment 2) at 2.0667 + 0.1.
    expect(onsets(flashes)).toHaveLength(3);
    expect(onsets(beeps)).toHaveLength(3);
    [0.5, 1.5, 62 / 30 + 0.1].forEach((expectedTime, index) => {
      expect(Math.abs(flashes[index]! - expectedTime)).toBeLessThan(0.002);
      expect(Math.abs(beeps[index]! - flashes[index]!)).toBeLessThan(0.005);
    });
  });

  describe('stream copy', () => {
    let bframeVideoId: string;
    let syncHdVideoId: string;
    let bframeSource: string;

    /** MD5 of each decoded video frame, in order. */
    async function frameHashes(path: string): Promise<string[]> {
      const { stdout } = await execFileAsync(
        'ffmpeg',
        ['-v', 'error', '-i', path, '-map', '0:v:0', '-f', 'framemd5', '-'],
        {
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      return stdout
        .split('\n')
        .filter((line) => line && !line.startsWith('#'))
        .map((line) => line.split(',').at(-1)!.trim());
    }

    beforeAll(async () => {
      bframeSource = join(scratch, 'bframes.mp4');
      await execFileAsync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=1280x720:rate=30:duration=6',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=440:sample_rate=48000:duration=6',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-g',
        '60',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        '-shortest',
        bframeSource,
      ]);
      const syncHd = join(scratch, 'sync-hd.mp4');
      await createSyncSource(syncHd, { width: 1280, height: 720 });
      for (const [name, path] of [
        ['bframes', bframeSource],
        ['sync-hd', syncHd],
      ] as const) {
        const key = `uploads/${userId}/${name}/source.mp4`;
        await storage.put(key, { filePath: path });
        const video = await models.Video.create({
          user_id: userId,
          title: name,
          source: key,
          status: 'completed',
          duration_seconds: 6,
        });
        if (name === 'bframes') bframeVideoId = video.id;
        else syncHdVideoId = video.id;
      }
    });

    it('copies the video when every cut is on a keyframe: the very same frames, B-frames included', async () => {
      expect((await probeFile('ffprobe', bframeSource)).video.hasBFrames).toBeGreaterThan(0);
      const record = await models.Export.create({
        user_id: userId,
        video_id: bframeVideoId,
        export_type: 'combined',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: [
          { start_time: 0, end_time: 2 },
          { start_time: 4, end_time: 6 },
        ],
        total_duration_seconds: 4,
      });
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
      await record.reload();
      const output = await download(record);
      const source = await frameHashes(bframeSource);
      expect(await frameHashes(output)).toEqual([...source.slice(0, 60), ...source.slice(120, 180)]);
      expect(await countFrames(output)).toBe(120);
      const { stderr } = await execFileAsync('ffmpeg', ['-v', 'error', '-i', output, '-f', 'null', '-']);
      expect(stderr).toBe('');
      const probe = await probeFile('ffprobe', output);
      expect(probe.audio?.codec).toBe('aac');
      expect(Math.abs(probe.durationSeconds - 4)).toBeLessThan(1 / 30 + 0.025);
    });

    it('keeps audio in sync with copied video across joins, segments in any order', async () => {
      const record = await models.Export.create({
        user_id: userId,
        video_id: syncHdVideoId,
        export_type: 'combined',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: [
          { start_time: 2, end_time: 4 },
          { start_time: 0, end_time: 2 },
        ],
        total_duration_seconds: 4,
      });
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
      await record.reload();
      const { flashes, beeps } = await measureFlashesAndBeeps(await download(record));
      const onsets = (times: number[]) => times.filter((time) => time < 3.95);
      expect(onsets(flashes).map((time) => Math.round(time * 30))).toEqual([30, 60, 90]);
      onsets(flashes).forEach((flash, index) =>
        expect(Math.abs(onsets(beeps)[index]! - flash)).toBeLessThan(0.01),
      );
    });

    /** The codec tag of the first video stream (avc3: parameter sets in the stream, as a smart cut makes). */
    async function videoTag(path: string): Promise<string> {
      const { stdout } = await execFileAsync('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=codec_tag_string',
        '-of',
        'csv=p=0',
        path,
      ]);
      return stdout.trim();
    }

    async function decodeErrors(path: string): Promise<string> {
      const { stderr } = await execFileAsync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-']);
      return stderr;
    }

    async function exportCombined(videoId: string, segments: { start_time: number; end_time: number }[]) {
      const record = await models.Export.create({
        user_id: userId,
        video_id: videoId,
        export_type: 'combined',
        resolution: '720p',
        format: 'mp4',
        quality_preset: 'medium',
        segment_selections: segments,
        total_duration_seconds: segments.reduce((sum, s) => sum + s.end_time - s.start_time, 0),
      });
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
      await record.reload();
      return download(record);
    }

    /** Source frame indexes [from, to) at 30 fps. */
    const frameRange = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, index) => from + index);

    it('smart-cuts between keyframes: exact frames, the middle copied bit for bit, no decode error', async () => {
      // 0.5 s → 5.25 s: frames 15..157; GOPs start at 0, 2 and 4 s
      const output = await exportCombined(bframeVideoId, [
        { start_time: 0.5, end_time: 5.25 },
        { start_time: 1.1, end_time: 2.5 },
      ]);
      expect(await videoTag(output)).toBe('avc3');
      expect(await decodeErrors(output)).toBe('');
      const expected = [...frameRange(15, 158), ...frameRange(33, 75)];
      expect(await countFrames(output)).toBe(expected.length);
      // every frame is the source frame it should be (the first one included)
      const produced = await thumbnailFrames(output);
      expect(matchFrames(produced, await thumbnailFrames(bframeSource), expected)).toEqual(expected);
      // the copied GOP (2 s → 4 s of the source) is the source's own frames, and so is the last GOP's up to
      // the end of the mini-GOP before the cut: of its 38 frames, at most the 3 B-frames of one are re-encoded
      const source = await frameHashes(bframeSource);
      const hashes = await frameHashes(output);
      expect(hashes.slice(45, 105)).toEqual(source.slice(60, 120));
      const lastGop = hashes.slice(105, 143);
      const reencoded = lastGop.findIndex((hash, frame) => hash !== source[120 + frame]);
      expect(reencoded === -1 ? lastGop.length : reencoded).toBeGreaterThanOrEqual(35);
      // the re-encoded frames (the heads, the tail) stay near-transparent next to the copied ones
      const psnr = [
        ...(await framePsnr(
          { path: output, first: 0, count: 143 },
          { path: bframeSource, first: 15, count: 143 },
        )),
        ...(await framePsnr(
          { path: output, first: 143, count: 42 },
          { path: bframeSource, first: 33, count: 42 },
        )),
      ];
      expect(psnr).toHaveLength(expected.length);
      expect(Math.min(...psnr)).toBeGreaterThanOrEqual(45);
      expect(psnr.filter((value) => value !== Infinity).length).toBeGreaterThan(0);
    });

    it('smart-cuts a source without B-frames without nudging timestamps', async () => {
      const output = await exportCombined(videoIds.landscape!, [{ start_time: 0.5, end_time: 4 }]);
      expect(await videoTag(output)).toBe('avc3');
      expect(await decodeErrors(output)).toBe('');
      const { stdout } = await execFileAsync('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'packet=dts',
        '-of',
        'csv=p=0',
        output,
      ]);
      const dts = stdout.trim().split('\n').map(Number);
      expect(dts).toHaveLength(105);
      expect(dts.every((value, index) => index === 0 || value > dts[index - 1]!)).toBe(true);
      const produced = await thumbnailFrames(output);
      const expected = frameRange(15, 120);
      expect(matchFrames(produced, await thumbnailFrames(media.landscape), expected)).toEqual(expected);
    });

    it('keeps audio in sync with a smart-cut video', async () => {
      const output = await exportCombined(syncHdVideoId, [
        { start_time: 0.5, end_time: 4 },
        { start_time: 0.8, end_time: 2.2 },
      ]);
      expect(await videoTag(output)).toBe('avc3');
      const measured = await measureFlashesAndBeeps(output);
      // the detectors also report the end of the file (4.9 s) as an onset
      const onsets = (times: number[]) => times.filter((time) => time < 4.8);
      const [flashes, beeps] = [onsets(measured.flashes), onsets(measured.beeps)];
      // the source flashes and beeps at 1, 2 and 3 s: 0.5, 1.5 and 2.5 s into the file; the second segment
      // starts at 3.5 s, with its flashes 0.2 s and 1.2 s later
      expect(flashes.map((time) => Math.round(time * 30))).toEqual([15, 45, 75, 111, 141]);
      expect(beeps).toHaveLength(flashes.length);
      flashes.forEach((flash, index) => expect(Math.abs(beeps[index]! - flash)).toBeLessThan(0.01));
      // the source's mono audio stays mono
      const { stdout } = await execFileAsync('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'a:0',
        '-show_entries',
        'stream=channels',
        '-of',
        'csv=p=0',
        output,
      ]);
      expect(stdout.trim()).toBe('1');
    });

    it('re-encodes an open-GOP source instead of copying from a keyframe that is not an IDR frame', async () => {
      const openGop = join(scratch, 'open-gop.mp4');
      await createOpenGopSource(openGop);
      const key = `uploads/${userId}/open-gop/source.mp4`;
      await storage.put(key, { filePath: openGop });
      const video = await models.Video.create({
        user_id: userId,
        title: 'open gop',
        source: key,
        status: 'completed',
        duration_seconds: 6,
      });
      const output = await exportCombined(video.id, [{ start_time: 0.5, end_time: 5.5 }]);
      expect(await videoTag(output)).toBe('avc1');
      expect(await decodeErrors(output)).toBe('');
      const expected = frameRange(15, 165);
      expect(matchFrames(await thumbnailFrames(output), await thumbnailFrames(openGop), expected)).toEqual(
        expected,
      );
    });
  });

  it('reports progress that only rises, through the stages in order', async () => {
    const record = await createExport('landscape', {
      export_type: 'combined',
      resolution: '1080p',
      format: 'mp4',
      quality_preset: 'medium',
      segment_selections: [
        { start_time: 0, end_time: 2 },
        { start_time: 2, end_time: 4 },
      ],
    });
    const subscriber = redis.duplicate();
    const seen: ExportProgress[] = [];
    subscriber.on('message', (_channel, message) => seen.push(JSON.parse(message) as ExportProgress));
    await subscriber.subscribe(RedisKeys.exportProgressChannel(record.id));
    try {
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('completed');
      await expect.poll(() => seen.at(-1)?.status).toBe('completed');
    } finally {
      await subscriber.quit();
    }
    const values = seen.map((progress) => progress.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    const stages = seen
      .map((progress) => progress.current_stage)
      .filter((stage, index, all) => stage !== all[index - 1]);
    expect(stages).toEqual(['downloading', 'processing', 'uploading', 'complete']);
    expect(
      seen.some(
        (progress) =>
          progress.current_stage === 'processing' && progress.progress > 10 && progress.progress < 90,
      ),
    ).toBe(true);
    expect(seen.at(-1)).toMatchObject({ progress: 100, estimated_time_remaining: null });
  });

  it('stops ffmpeg when the export is cancelled mid-encode and leaves nothing behind', async () => {
    const record = await createExport('landscape', {
      export_type: 'combined',
      resolution: '4k',
      format: 'webm',
      quality_preset: 'high',
      segment_selections: [
        { start_time: 0, end_time: 4 },
        { start_time: 0, end_time: 4 },
      ],
    });
    const subscriber = redis.duplicate();
    await subscriber.subscribe(RedisKeys.exportProgressChannel(record.id));
    subscriber.on('message', (_channel, message) => {
      const progress = JSON.parse(message) as ExportProgress;
      if (progress.current_stage === 'processing' && progress.progress > 10) {
        // what the API does on DELETE: the database first, then the signal
        void models.Export.update({ status: 'cancelled' }, { where: { id: record.id } }).then(() =>
          redis.publish(RedisKeys.exportCancelChannel, record.id),
        );
      }
    });
    const started = Date.now();
    try {
      expect(await runExportVideoJob(record.id, { isLastAttempt: true }, context)).toBe('cancelled');
    } finally {
      await subscriber.quit();
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    await record.reload();
    expect(record.status).toBe('cancelled');
    expect(record.output_s3_key).toBeNull();
    expect(JSON.parse((await redis.get(RedisKeys.exportProgress(record.id)))!)).toMatchObject({
      status: 'cancelled',
    });
  });

  it('treats a cancel that arrived before the work started as a cancellation, not a failure to retry', async () => {
    const record = await createExport('landscape', {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    await redis.set(RedisKeys.exportCancel(record.id), '1', 'EX', 60);
    expect(await runExportVideoJob(record.id, { isLastAttempt: false }, context)).toBe('cancelled');
    await record.reload();
    expect(record.output_s3_key).toBeNull();
  });

  it('fails a corrupt source with a message a person can act on', async () => {
    const record = await createExport('corrupt', {
      export_type: 'single',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    expect(await runExportVideoJob(record.id, { isLastAttempt: false }, context)).toBe('failed');
    await record.reload();
    expect(record).toMatchObject({
      status: 'failed',
      error_message: expect.stringMatching(/not a video we can read/),
    });
  });

  it('retries an ffmpeg failure, then fails it on the last attempt without an ffmpeg dump', async () => {
    // a size change, so the (broken) encoder is used rather than a copy
    const record = await createExport('landscape', {
      export_type: 'single',
      resolution: '1080p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const broken = { ...context, encoder: 'h264_videotoolbox' as const };
    await expect(runExportVideoJob(record.id, { isLastAttempt: false }, broken)).rejects.toThrow(
      'The video could not be encoded.',
    );
    expect(await runExportVideoJob(record.id, { isLastAttempt: true }, broken)).toBe('failed');
    await record.reload();
    expect(record).toMatchObject({ status: 'failed', error_message: 'The video could not be encoded.' });
  });

  it('stops an export that runs past the time limit', async () => {
    const record = await createExport('landscape', {
      export_type: 'single',
      resolution: '4k',
      format: 'webm',
      quality_preset: 'high',
      segment_selections: [{ start_time: 0, end_time: 4 }],
    });
    expect(
      await runExportVideoJob(record.id, { isLastAttempt: false }, { ...context, jobTimeoutMs: 600 }),
    ).toBe('failed');
    await record.reload();
    expect(record.error_message).toBe('The export took longer than the 1 s limit and was stopped.');
  });

  it('hands a running export back on shutdown: stopped, pending again, nothing left behind', async () => {
    const record = await createExport('landscape', {
      export_type: 'single',
      resolution: '4k',
      format: 'webm',
      quality_preset: 'high',
      segment_selections: [{ start_time: 0, end_time: 4 }],
    });
    const shutdown = new AbortController();
    setTimeout(() => shutdown.abort(), 1_000);
    expect(
      await runExportVideoJob(record.id, { isLastAttempt: true }, { ...context, shutdown: shutdown.signal }),
    ).toBe('handed-over');
    await record.reload();
    expect(record).toMatchObject({ status: 'pending', started_at: null, error_message: null });
  });

  describe('with S3 storage', () => {
    let s3: S3Storage;
    let s3VideoId: string;

    beforeAll(async () => {
      s3 = new S3Storage({
        bucket: serviceEnv('S3_BUCKET'),
        endpoint: serviceEnv('S3_ENDPOINT'),
        forcePathStyle: true,
      });
      const key = `uploads/${userId}/s3-source/source.mp4`;
      await s3.put(key, { filePath: media.landscape });
      s3VideoId = (
        await models.Video.create({
          user_id: userId,
          title: 'From S3',
          source: key,
          status: 'completed',
          duration_seconds: 4,
        })
      ).id;
    });

    /** S3 storage whose first `failures` uploads fail, as a flaky network would make them. */
    function flaky(failures: number): ObjectStorage & { attempts: number } {
      const wrapper = {
        driver: 's3' as const,
        attempts: 0,
        get: (...args: Parameters<S3Storage['get']>) => s3.get(...args),
        head: (key: string) => s3.head(key),
        delete: (key: string) => s3.delete(key),
        deletePrefix: (prefix: string) => s3.deletePrefix(prefix),
        createDownloadUrl: (...args: Parameters<S3Storage['createDownloadUrl']>) =>
          s3.createDownloadUrl(...args),
        put: async (...args: Parameters<S3Storage['put']>) => {
          wrapper.attempts += 1;
          if (wrapper.attempts <= failures) throw new Error('injected S3 failure: 503 Slow Down');
          return s3.put(...args);
        },
      };
      return wrapper;
    }

    const request = {
      export_type: 'single' as const,
      resolution: '720p' as const,
      format: 'mp4' as const,
      quality_preset: 'low' as const,
      segment_selections: [{ start_time: 1, end_time: 2 }],
    };

    it('reads the source from S3 and retries the upload until it succeeds', async () => {
      const record = await models.Export.create({
        user_id: userId,
        video_id: s3VideoId,
        ...request,
        total_duration_seconds: 1,
      });
      const storageWithFailures = flaky(2);
      expect(
        await runExportVideoJob(
          record.id,
          { isLastAttempt: true },
          { ...context, storage: storageWithFailures },
        ),
      ).toBe('completed');
      expect(storageWithFailures.attempts).toBe(3);
      await record.reload();
      expect((await s3.head(record.output_s3_key!))?.size).toBe(record.file_size_bytes);
    });

    it('fails cleanly when every upload attempt fails, leaving no object, without re-making the file', async () => {
      const record = await models.Export.create({
        user_id: userId,
        video_id: s3VideoId,
        ...request,
        total_duration_seconds: 1,
      });
      expect(
        await runExportVideoJob(record.id, { isLastAttempt: false }, { ...context, storage: flaky(5) }),
      ).toBe('failed');
      await record.reload();
      expect(record).toMatchObject({
        status: 'failed',
        output_s3_key: null,
        error_message: 'The finished file could not be saved to storage (3 tries). Try again later.',
      });
      expect(await s3.deletePrefix(`exports/${userId}/${record.id}/`)).toBe(0);
    });
  });

  it('holds the per-user limit: a second export waits, still pending, and is handed back when a slot frees', async () => {
    const slots = new ExportSlots(
      redis,
      { global: 5, perUser: 1, leaseMs: 30_000 },
      { token: 'limit-test', namespace: uniqueName('slots') },
    );
    const limited = { ...context, slots };
    const request = {
      export_type: 'single' as const,
      resolution: '720p' as const,
      format: 'mp4' as const,
      quality_preset: 'low' as const,
      segment_selections: [{ start_time: 0, end_time: 2 }],
    };
    const first = await createExport('landscape', request);
    const second = await createExport('landscape', request);
    const [firstOutcome, secondOutcome] = await Promise.all([
      runExportVideoJob(first.id, { isLastAttempt: true }, limited),
      new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
        runExportVideoJob(second.id, { isLastAttempt: true }, limited),
      ),
    ]);
    expect([firstOutcome, secondOutcome]).toEqual(['completed', 'deferred']);
    await second.reload();
    expect(second.status).toBe('pending');
    expect(await slots.takeReady()).toEqual([{ exportId: second.id, userId }]);
  });

  it('leaves no temporary files after any of these outcomes', () => {
    for (const dir of readdirSync(workRoot)) expect(readdirSync(join(workRoot, dir))).toEqual([]);
  });
});
