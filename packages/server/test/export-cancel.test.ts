import { Readable } from 'node:stream';
import { createClient, type ExportCreateRequest, type VexportClient } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './support/expectations.js';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

const request: ExportCreateRequest = {
  export_type: 'single',
  resolution: '720p',
  format: 'mp4',
  quality_preset: 'low',
  segment_selections: [{ start_time: 0, end_time: 5 }],
};

const FINISHED_DETAIL = 'This export has already finished; it can no longer be cancelled.';

describe('POST /api/exports/{id}/cancel', () => {
  let api: TestApi;
  let alice: VexportClient;
  let videoId: string;

  beforeAll(async () => {
    api = await startTestApi({ config: { exportRateLimitPerHour: 1000 } });
    alice = api.clientFor('alice');
    videoId = (await createProbedVideo(api.models, 'alice', { duration: 30 })).id;
  });

  afterAll(() => api.close());

  /** A new export of alice's, moved to the given status as the worker would leave it. */
  async function exportIn(status: 'processing' | 'completed' | 'failed'): Promise<string> {
    const created = await alice.createExport(videoId, request);
    await api.models.Export.update(
      status === 'failed' ? { status, error_message: 'ffmpeg exited with code 1' } : { status },
      { where: { id: created.id } },
    );
    return created.id;
  }

  /** Stores a finished file for the export, where the worker puts it, and records its key. */
  async function storeOutput(exportId: string): Promise<string> {
    const key = `exports/${await userIdOf(api.models, 'alice')}/${exportId}/output.mp4`;
    await api.storage.put(key, Readable.from(['the finished video']));
    await api.models.Export.update({ output_s3_key: key }, { where: { id: exportId } });
    return key;
  }

  const postCancel = (exportId: string, user = 'alice') =>
    fetch(`${api.baseUrl}/api/exports/${exportId}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.tokenFor(user)}` },
    });

  it('refuses to cancel a completed export with a 409 and keeps the record and its file', async () => {
    const exportId = await exportIn('completed');
    const key = await storeOutput(exportId);

    expect(await failure(alice.cancelExport(exportId))).toMatchObject({
      status: 409,
      code: 'export_not_cancellable',
      message: FINISHED_DETAIL,
    });
    expect((await alice.getExport(exportId)).status).toBe('completed');
    expect(await api.storage.head(key)).toBeDefined();
  });

  it('answers a failed export with a problem+json 409 and keeps it', async () => {
    const exportId = await exportIn('failed');

    const response = await postCancel(exportId);
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'export_not_cancellable', detail: FINISHED_DETAIL });
    expect((await alice.getExport(exportId)).status).toBe('failed');
  });

  it('cancels a running export once and answers 200 with it every time; another user gets 404', async () => {
    const exportId = await exportIn('processing');

    const stranger = await postCancel(exportId, 'mallory');
    expect(stranger.status).toBe(404);
    expect(await stranger.json()).toMatchObject({ code: 'not_found' });
    expect((await alice.getExport(exportId)).status).toBe('processing');

    const first = await postCancel(exportId);
    const second = await postCancel(exportId);
    expect([first.status, second.status]).toEqual([200, 200]);
    const [firstBody, secondBody] = await Promise.all([first.json(), second.json()]);
    expect(firstBody).toMatchObject({ id: exportId, status: 'cancelled' });
    expect(secondBody).toEqual(firstBody);
    expect((await alice.getExport(exportId)).status).toBe('cancelled');
  });

  it('retries a cancel whose answer was lost without deleting the cancelled export', async () => {
    const exportId = await exportIn('processing');
    const methods: string[] = [];
    let answersLost = 1;
    const client = createClient({
      baseUrl: api.baseUrl,
      getToken: () => api.tokenFor('alice'),
      maxRetries: 1,
      fetch: async (url, init) => {
        methods.push(init?.method ?? 'GET');
        const response = await fetch(url, init);
        if (answersLost === 0) return response;
        answersLost -= 1;
        await response.body?.cancel();
        throw new TypeError('fetch failed: connection reset');
      },
    });

    await expect(client.cancelExport(exportId)).resolves.toMatchObject({
      id: exportId,
      status: 'cancelled',
    });
    expect(methods).toEqual(['POST', 'POST']);
    expect((await alice.getExport(exportId)).status).toBe('cancelled');
  });
});
