import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VexportClient } from '@vexport/sdk';
import { LocalDiskStorage } from '@vexport/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET, startTestApi, type TestApi } from './support/test-api.js';

const SANDBOX_POLICY = /default-src 'none'.*sandbox/;

/**
 * Stored files are served as what they are, whatever name and type their uploader gave them: a page uploaded
 * as `clip.html` is a download that cannot run on the API's origin. The storage folder sits under a dot
 * folder, as `npm start`'s `.vexport/storage` does.
 */
describe('served files and security headers', () => {
  const parent = mkdtempSync(join(tmpdir(), 'vexport-served-'));
  const root = join(parent, '.vexport', 'storage');
  let api: TestApi;
  let mallory: VexportClient;

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    api = await startTestApi({ storage: new LocalDiskStorage({ root, signingSecret: TEST_JWT_SECRET }) });
    mallory = api.clientFor('mallory');
  });
  afterAll(async () => {
    await api.close();
    rmSync(parent, { recursive: true, force: true });
  });

  async function sourceLinkOf(filename: string, bytes: string, type: string): Promise<string> {
    const video = await mallory.registerVideo({ file: new Blob([bytes], { type }), filename });
    await api.models.Video.update({ status: 'completed', duration_seconds: 1 }, { where: { id: video.id } });
    return (await mallory.getVideoSourceUrl(video.id)).url;
  }

  it('serves an uploaded HTML polyglot as a download that cannot run', async () => {
    const polyglot = '\u0000\u0000\u0000\u0018ftypmp42<script>parent.stolen = document.cookie</script>';
    const url = await sourceLinkOf('clip.html', polyglot, 'text/html');
    expect(url).not.toMatch(/\.html/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="source"/);
    expect(response.headers.get('content-security-policy')).toMatch(SANDBOX_POLICY);
    expect(await response.text()).toBe(polyglot);
  });

  it('serves a video as video, from under a dot folder, still as an attachment in a sandbox', async () => {
    const url = await sourceLinkOf('holiday.MP4', 'not really a video', 'video/mp4');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/mp4');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="source\.mp4"/);
    expect(response.headers.get('content-security-policy')).toMatch(SANDBOX_POLICY);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const range = await fetch(url, { headers: { range: 'bytes=0-2' } });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe('not');
  });

  it('puts security headers on every API answer, errors included', async () => {
    const answers = await Promise.all([
      fetch(`${api.baseUrl}/healthz`),
      fetch(`${api.baseUrl}/api/videos`),
      fetch(`${api.baseUrl}/api/videos`, { headers: { authorization: `Bearer ${api.tokenFor('mallory')}` } }),
      fetch(`${api.baseUrl}/api/nothing-here`),
      fetch(`${api.baseUrl}/api/files/uploads/x/y/source.mp4?expires=1&signature=x`),
    ]);
    for (const response of answers) {
      const where = `${response.url} (${response.status})`;
      expect(response.headers.get('x-content-type-options'), where).toBe('nosniff');
      expect(response.headers.get('content-security-policy'), where).toMatch(/default-src 'none'/);
      expect(response.headers.get('x-frame-options'), where).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy'), where).toBe('no-referrer');
      expect(response.headers.get('x-powered-by'), where).toBeNull();
    }
  });
});
