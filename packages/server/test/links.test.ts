import { request } from 'node:http';
import { Readable } from 'node:stream';
import type { ExportCreateRequest } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbedVideo, startTestApi, userIdOf, type TestApi } from './support/test-api.js';

const combined: ExportCreateRequest = {
  export_type: 'combined',
  resolution: '720p',
  format: 'webm',
  quality_preset: 'low',
  segment_selections: [
    { start_time: 0, end_time: 2 },
    { start_time: 4, end_time: 6 },
  ],
};

/** GETs an API path with the headers given (Host included, which fetch cannot set) and parses the JSON. */
function getJson(api: TestApi, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: { url?: string; code?: string } }>((resolve, reject) => {
    const outgoing = request(
      new URL(path, api.baseUrl),
      { headers: { authorization: `Bearer ${api.tokenFor('link-user')}`, ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      },
    );
    outgoing.on('error', reject).end();
  });
}

/** A probed video with a stored source and a completed export of it: the two kinds of link the API makes. */
async function linkPaths(api: TestApi): Promise<string[]> {
  const video = await createProbedVideo(api.models, 'link-user');
  await api.storage.put(video.source, Readable.from(['the source']));
  const created = await api.clientFor('link-user').createExport(video.id, combined);
  const key = `exports/${await userIdOf(api.models, 'link-user')}/${created.id}/output.webm`;
  await api.storage.put(key, Readable.from(['the export']));
  await api.models.Export.update(
    { status: 'completed', output_s3_key: key, output_url: `/api/exports/${created.id}/download` },
    { where: { id: created.id } },
  );
  return [`/api/videos/${video.id}/source`, `/api/exports/${created.id}/download`];
}

async function linksWith(api: TestApi, paths: string[], headers: Record<string, string>) {
  const urls: string[] = [];
  for (const path of paths) {
    const { status, body } = await getJson(api, path, headers);
    expect(status).toBe(200);
    urls.push(body.url!);
  }
  return urls;
}

describe('download and source links with neither PUBLIC_BASE_URL nor ALLOWED_HOSTS', () => {
  let api: TestApi;
  let paths: string[];
  beforeAll(async () => {
    api = await startTestApi();
    paths = await linkPaths(api);
  });
  afterAll(() => api.close());

  it.each([
    'evil.example',
    'evil.example:8080',
    '127.0.0.1.evil.example',
    'localhost@evil.example',
    '[::1].evil',
  ])('never puts a hostile Host (%s) into a link: the link is relative to the API', async (host) => {
    for (const url of await linksWith(api, paths, { host })) {
      expect(url).not.toMatch(/evil/);
      expect(url).toMatch(/^\/api\/files\//);
      const served = await fetch(new URL(url, api.baseUrl));
      expect(served.status).toBe(200);
    }
  });

  it.each(['localhost', 'localhost:5173', '127.0.0.1:8080', '[::1]:8080'])(
    'builds absolute links on a loopback Host (%s)',
    async (host) => {
      for (const url of await linksWith(api, paths, { host })) {
        expect(url.startsWith(`http://${host}/api/files/`)).toBe(true);
      }
    },
  );
});

describe('download and source links with ALLOWED_HOSTS, behind a proxy', () => {
  let api: TestApi;
  let paths: string[];
  beforeAll(async () => {
    api = await startTestApi({ config: { allowedHosts: ['videos.example.com'], trustProxy: true } });
    paths = await linkPaths(api);
  });
  afterAll(() => api.close());

  it('builds links on an allowed host, with the protocol the proxy names', async () => {
    const urls = await linksWith(api, paths, {
      host: 'internal:8080',
      'x-forwarded-host': 'videos.example.com',
      'x-forwarded-proto': 'https',
    });
    for (const url of urls) expect(url.startsWith('https://videos.example.com/api/files/')).toBe(true);
  });

  it('makes relative links for a host that is not allowed, loopback included', async () => {
    for (const host of ['evil.example', 'localhost:8080']) {
      for (const url of await linksWith(api, paths, { host, 'x-forwarded-host': host })) {
        expect(url).toMatch(/^\/api\/files\//);
      }
    }
  });
});

describe('download and source links with PUBLIC_BASE_URL', () => {
  let api: TestApi;
  let paths: string[];
  beforeAll(async () => {
    api = await startTestApi({ config: { publicBaseUrl: 'https://api.example.com/' } });
    paths = await linkPaths(api);
  });
  afterAll(() => api.close());

  it('builds every link on PUBLIC_BASE_URL, whatever the Host', async () => {
    for (const host of ['evil.example', 'localhost:8080']) {
      for (const url of await linksWith(api, paths, { host })) {
        expect(url.startsWith('https://api.example.com/api/files/')).toBe(true);
      }
    }
  });
});
