import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSequelize, initModels, migrateToLatest, type Models } from '@vexport/db';
import { LocalDiskStorage } from '@vexport/storage';
import { pino } from 'pino';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMedia, type TestMedia } from '../../../testing/media.js';
import { createTestDatabase } from '../../../testing/services.js';
import { runProbeVideoJob, type ProbeJobContext } from '../src/jobs/probe-video-job.js';
import { JobWorkspace } from '../src/workspace/job-workspace.js';

describe('probe_video job with real ffprobe, PostgreSQL and local storage', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-probe-'));
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let sequelize: Sequelize;
  let models: Models;
  let media: TestMedia;
  let storage: LocalDiskStorage;
  let context: ProbeJobContext;
  let server: Server;
  let serverUrl: string;
  let userId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sequelize = createSequelize(database.url);
    await migrateToLatest(sequelize);
    models = initModels(sequelize);
    media = await createTestMedia(scratch);
    storage = new LocalDiskStorage({ root: join(scratch, 'storage') });
    context = {
      models,
      storage,
      workspace: new JobWorkspace(join(scratch, 'work')),
      logger: pino({ level: 'silent' }),
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
      allowPrivateSourceUrls: false,
      maxSourceBytes: 50 * 1024 * 1024,
      limits: { maxDurationSeconds: 3600, maxPixels: 4096 * 2160 },
    };
    userId = (await models.User.create({ external_id: 'prober' })).id;
    server = createServer((request, response) => {
      if (request.url === '/landscape.mp4') createReadStream(media.landscape).pipe(response);
      else if (request.url === '/moved') response.writeHead(302, { location: '/landscape.mp4' }).end();
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await sequelize.close();
    await database.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function videoFor(path: string, name: string) {
    const key = `uploads/${userId}/${name}/source.mp4`;
    await storage.put(key, { filePath: path });
    return models.Video.create({ user_id: userId, title: name, source: key });
  }

  it('fills duration, size, frame rate and codecs of a landscape file', async () => {
    const video = await videoFor(media.landscape, 'landscape');
    await runProbeVideoJob(video.id, { isLastAttempt: false }, context);
    await video.reload();
    expect(video).toMatchObject({
      status: 'completed',
      width: 1280,
      height: 720,
      fps: 30,
      video_codec: 'h264',
      audio_codec: 'aac',
      rotation: 0,
      error_message: null,
      error_code: null,
    });
    expect(video.duration_seconds).toBeCloseTo(4, 1);
  });

  it('reads the rotation of a portrait phone video', async () => {
    const video = await videoFor(media.portrait, 'portrait');
    await runProbeVideoJob(video.id, { isLastAttempt: false }, context);
    await video.reload();
    expect(video).toMatchObject({ status: 'completed', width: 1280, height: 720, rotation: 270 });
  });

  it('has no audio codec for a silent file', async () => {
    const video = await videoFor(media.silent, 'silent');
    await runProbeVideoJob(video.id, { isLastAttempt: false }, context);
    await video.reload();
    expect(video).toMatchObject({ status: 'completed', audio_codec: null, width: 640 });
  });

  it('fails a corrupt file at once with a message for the user, without retrying', async () => {
    const video = await videoFor(media.corrupt, 'corrupt');
    await runProbeVideoJob(video.id, { isLastAttempt: false }, context);
    await video.reload();
    expect(video.status).toBe('failed');
    // the file is text pretending to be a video, which the probe tells before running ffprobe
    expect(video.error_message).toBe(
      'This is a playlist or text file, not a video. Upload the video file itself.',
    );
    expect(video.error_code).toBe('unsupported_format');
  });

  it('refuses a source over the limits', async () => {
    const video = await videoFor(media.landscape, 'too-long');
    await runProbeVideoJob(
      video.id,
      { isLastAttempt: false },
      { ...context, limits: { maxDurationSeconds: 2, maxPixels: 1e9 } },
    );
    await video.reload();
    expect(video.error_message).toMatch(/longer than/);
    expect(video.error_code).toBe('too_long');
  });

  it('imports a URL source into storage, following a redirect, when private addresses are allowed', async () => {
    const video = await models.Video.create({
      user_id: userId,
      title: 'remote',
      source: `${serverUrl}/moved`,
    });
    await runProbeVideoJob(video.id, { isLastAttempt: false }, { ...context, allowPrivateSourceUrls: true });
    await video.reload();
    expect(video.status).toBe('completed');
    expect(video.source).toBe(`uploads/${userId}/${video.id}/source`);
    expect((await storage.head(video.source))?.size).toBe(video.size_bytes);
  });

  it('refuses a URL on a private address otherwise (SSRF), at connect time', async () => {
    const video = await models.Video.create({
      user_id: userId,
      title: 'remote',
      source: `${serverUrl}/landscape.mp4`,
    });
    await runProbeVideoJob(video.id, { isLastAttempt: false }, context);
    await video.reload();
    expect(video).toMatchObject({
      status: 'failed',
      error_message: expect.stringMatching(/private address/),
    });
  });

  it('refuses a URL source over the size limit without retrying, and keeps none of it', async () => {
    const video = await models.Video.create({
      user_id: userId,
      title: 'too big',
      source: `${serverUrl}/landscape.mp4`,
    });
    await runProbeVideoJob(
      video.id,
      { isLastAttempt: false },
      { ...context, allowPrivateSourceUrls: true, maxSourceBytes: 64 * 1024 },
    );
    await video.reload();
    expect(video).toMatchObject({
      status: 'failed',
      error_message: 'The source is larger than the 64 KiB this service accepts.',
    });
    expect(await storage.head(`uploads/${userId}/${video.id}/source`)).toBeUndefined();
  });

  it('fails a URL that answers 404 without retrying', async () => {
    const video = await models.Video.create({
      user_id: userId,
      title: 'gone',
      source: `${serverUrl}/gone.mp4`,
    });
    await runProbeVideoJob(video.id, { isLastAttempt: false }, { ...context, allowPrivateSourceUrls: true });
    await video.reload();
    // the source is gone, not refused: no refusal code applies
    expect(video).toMatchObject({
      status: 'failed',
      error_message: 'The source server answered HTTP 404.',
      error_code: null,
    });
  });

  it('leaves no temporary files behind', () => {
    const own = readdirSync(join(scratch, 'work'));
    for (const dir of own) expect(readdirSync(join(scratch, 'work', dir))).toEqual([]);
  });
});
