import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { QueueNames, Video, VideoList, type VexportClient } from '@vexport/sdk';
import { type LocalDiskStorage } from '@vexport/storage';
import { failure, waitingJobIds } from './support/expectations.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

describe('videos API', () => {
  let api: TestApi;
  let alice: VexportClient;

  beforeAll(async () => {
    api = await startTestApi({ config: { uploadMaxBytes: 64 * 1024 } });
    alice = api.clientFor('alice');
  });
  afterAll(() => api.close());

  describe('upload', () => {
    it('streams the file into storage, registers the video pending and queues its probe', async () => {
      const file = new Blob([new Uint8Array(10_000).fill(1)], { type: 'video/mp4' });
      const video = Video.parse(
        await alice.registerVideo({ file, filename: 'Holiday clip.MP4', title: 'Holiday' }),
      );
      expect(video).toMatchObject({ title: 'Holiday', status: 'pending', size_bytes: 10_000 });
      const userId = await userIdOf(api.models, 'alice');
      expect(video.source).toBe(`uploads/${userId}/${video.id}/source.mp4`);
      expect((await api.storage.head(video.source))?.size).toBe(10_000);
      expect(await waitingJobIds(api, QueueNames.probeVideo)).toContain(video.id);
    });

    it('names the video after the file when no title is given', async () => {
      const video = await alice.registerVideo({ file: new Blob(['x']), filename: 'sunset at the pier.mov' });
      expect(video.title).toBe('sunset at the pier');
    });

    it('takes a title from any file name, % signs included', async () => {
      const percy = api.clientFor('percy');
      const percent = await percy.registerVideo({ file: new Blob(['x']), filename: 'Holiday 100% best.mp4' });
      expect(percent.title).toBe('Holiday 100% best');
      // a file name is not percent-encoded: %03 stays as written, never a control character
      const pattern = await percy.registerVideo({ file: new Blob(['x']), filename: 'frame%03d.png' });
      expect(pattern.title).toBe('frame%03d');
    });

    it('refuses a file over the size limit with 413 and stores nothing', async () => {
      const userId = await userIdOf(api.models, 'alice');
      const before = await api.models.Video.count();
      const error = await failure(
        alice.registerVideo({ file: new Blob([new Uint8Array(100 * 1024)]), filename: 'big.mp4' }),
      );
      expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
      expect(await api.models.Video.count()).toBe(before);
      const root = (api.storage as LocalDiskStorage).resolvePath(`uploads/${userId}/`);
      const leftovers = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) =>
        entry.isFile(),
      );
      expect(
        leftovers
          .map((entry) => entry.name)
          .filter((name) => name.startsWith('source') && !name.includes('.')),
      ).toEqual([]);
      expect(leftovers.every((entry) => !entry.name.includes('.part-'))).toBe(true);
    });

    it('refuses a multipart body without a file field', async () => {
      const form = new FormData();
      form.set('title', 'nothing attached');
      const response = await fetch(`${api.baseUrl}/api/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.tokenFor('alice')}` },
        body: form,
      });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('file');
    });

    it('refuses other content types with 415', async () => {
      const response = await fetch(`${api.baseUrl}/api/videos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${api.tokenFor('alice')}`, 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(response.status).toBe(415);
    });
  });

  describe('registration by URL or storage key', () => {
    it('accepts a public http(s) URL', async () => {
      const video = await alice.registerVideo({ source_url: 'https://93.184.216.34/media/trailer.mp4' });
      expect(video).toMatchObject({
        title: 'trailer',
        source: 'https://93.184.216.34/media/trailer.mp4',
        status: 'pending',
      });
    });

    it.each([
      'http://127.0.0.1:8080/secret.mp4',
      'http://localhost/video.mp4',
      'http://10.1.2.3/video.mp4',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/video.mp4',
      'http://[::ffff:127.0.0.1]/video.mp4',
      'http://user:pw@93.184.216.34/video.mp4',
    ])('refuses %s (private address or credentials)', async (source_url) => {
      const error = await failure(alice.registerVideo({ source_url }));
      expect(error).toMatchObject({ status: 422, code: 'source_url_refused' });
    });

    it('refuses non-http schemes', async () => {
      expect((await failure(alice.registerVideo({ source_url: 'file:///etc/passwd' }))).status).toBe(422);
      expect((await failure(alice.registerVideo({ source_url: 'ftp://93.184.216.34/a.mp4' }))).code).toBe(
        'source_url_refused',
      );
    });

    it('accepts a storage key under the user’s own uploads, and refuses another user’s', async () => {
      const aliceId = await userIdOf(api.models, 'alice');
      const bobId = await userIdOf(api.models, 'bob');
      await api.storage.put(`uploads/${aliceId}/direct/movie.mp4`, Readable.from(['abc']));
      await api.storage.put(`uploads/${bobId}/direct/movie.mp4`, Readable.from(['abc']));
      const video = await alice.registerVideo({ storage_key: `uploads/${aliceId}/direct/movie.mp4` });
      expect(video).toMatchObject({ title: 'movie', size_bytes: 3 });
      const error = await failure(alice.registerVideo({ storage_key: `uploads/${bobId}/direct/movie.mp4` }));
      expect(error.problem?.errors?.[0]?.path).toBe('storage_key');
      expect((await failure(alice.registerVideo({ storage_key: '../../etc/passwd' }))).status).toBe(422);
    });
  });

  describe('reading and deleting', () => {
    it('lists only the user’s videos, newest first, and 404s another user’s', async () => {
      const dave = api.clientFor('dave');
      const first = await createProbedVideo(api.models, 'dave', { title: 'first' });
      const second = await createProbedVideo(api.models, 'dave', { title: 'second' });
      const list = VideoList.parse(await dave.listVideos());
      expect(list.videos.map((video) => video.id)).toEqual([second.id, first.id]);
      expect(list.total).toBe(2);
      expect((await dave.getVideo(first.id)).title).toBe('first');
      expect((await failure(alice.getVideo(first.id))).status).toBe(404);
    });

    it('gives a playable URL of a probed source, and 409 before it is probed', async () => {
      const frank = api.clientFor('frank');
      const video = await frank.registerVideo({ file: new Blob(['the source bytes']), filename: 'clip.mp4' });
      expect(await failure(frank.getVideoSourceUrl(video.id))).toMatchObject({
        status: 409,
        code: 'video_not_ready',
      });
      await api.models.Video.update(
        { status: 'completed', duration_seconds: 1 },
        { where: { id: video.id } },
      );
      const { url } = await frank.getVideoSourceUrl(video.id);
      expect(await (await fetch(url)).text()).toBe('the source bytes');
      expect((await failure(alice.getVideoSourceUrl(video.id))).status).toBe(404);
    });

    it('deletes a video with its exports, their files and the uploaded source', async () => {
      const erin = api.clientFor('erin');
      const video = await erin.registerVideo({ file: new Blob(['source bytes']), filename: 'a.mp4' });
      await api.models.Video.update(
        { status: 'completed', duration_seconds: 10 },
        { where: { id: video.id } },
      );
      const running = await erin.createExport(video.id, {
        export_type: 'single',
        segment_selections: [{ start_time: 0, end_time: 1 }],
      });
      const done = await erin.createExport(video.id, {
        export_type: 'single',
        segment_selections: [{ start_time: 1, end_time: 2 }],
      });
      const userId = await userIdOf(api.models, 'erin');
      const outputKey = `exports/${userId}/${done.id}/out.mp4`;
      await api.storage.put(outputKey, Readable.from(['out']));
      await api.models.Export.update(
        { status: 'completed', output_s3_key: outputKey },
        { where: { id: done.id } },
      );
      await api.models.Export.update({ status: 'processing' }, { where: { id: running.id } });

      await erin.deleteVideo(video.id);
      expect(await api.storage.head(video.source)).toBeUndefined();
      expect(await api.storage.head(outputKey)).toBeUndefined();
      expect(await api.models.Export.count({ where: { video_id: video.id } })).toBe(0);
      expect(await api.redis.get(`export_cancel:${running.id}`)).toBe('1');
      expect((await failure(erin.getVideo(video.id))).status).toBe(404);
    });
  });
});
