import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import { VexportConnectionError, VexportError, parseRetryAfter } from './errors.js';
import { parseServerSentEvents } from './server-sent-events.js';

type Call = { url: string; init: RequestInit };

/** A fetch that answers from a list, recording each call. */
function scriptedFetch(answers: (Response | Error)[]) {
  const calls: Call[] = [];
  const fetchImplementation = async (url: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const answer = answers.shift();
    if (!answer) throw new Error('no scripted answer left');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { calls, fetch: fetchImplementation as typeof fetch };
}

const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 't', status, code, detail: `detail ${code}` }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createClient', () => {
  it('sends the token from getToken and JSON bodies with an idempotency key', async () => {
    const { calls, fetch } = scriptedFetch([json({ id: 'e1' }, 202)]);
    const client = createClient({ baseUrl: 'https://api.test/', getToken: async () => 'tok', fetch });
    await client.createExport('v 1', {
      export_type: 'single',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(calls[0]!.url).toBe('https://api.test/api/videos/v%201/export');
    expect(headers.authorization).toBe('Bearer tok');
    expect(headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(calls[0]!.init.body as string).export_type).toBe('single');
  });

  it('turns a problem+json answer into a VexportError with status and code', async () => {
    const { fetch } = scriptedFetch([problem(404, 'not_found')]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    const error = await client.getExport('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VexportError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', message: 'detail not_found' });
  });

  it('retries idempotent calls on 503 and network errors, honouring Retry-After', async () => {
    const { calls, fetch } = scriptedFetch([
      problem(503, 'service_unavailable', { 'retry-after': '0' }),
      new TypeError('fetch failed'),
      json({ progress: 5 }),
    ]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch, maxRetries: 2 });
    await expect(client.getExportProgress('e')).resolves.toEqual({ progress: 5 });
    expect(calls).toHaveLength(3);
  });

  it('surfaces a 429 at once when Retry-After asks for longer than a short wait', async () => {
    const { calls, fetch } = scriptedFetch([
      problem(429, 'rate_limited', { 'retry-after': '2820' }),
      json({ id: 'e1' }, 202),
    ]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch, maxRetries: 2 });
    const created = client.createExport('v', { export_type: 'single', segment_selections: [] });
    await expect(created).rejects.toMatchObject({ status: 429, retryAfterSeconds: 2820 });
    expect(calls).toHaveLength(1);
  });

  it('does not retry a 4xx other than 408/425/429', async () => {
    const { calls, fetch } = scriptedFetch([problem(422, 'validation_failed'), json({})]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    await expect(client.getExport('e')).rejects.toMatchObject({ code: 'validation_failed' });
    expect(calls).toHaveLength(1);
  });

  it('gives up after maxRetries with a connection error', async () => {
    const { calls, fetch } = scriptedFetch([new TypeError('down'), new TypeError('down')]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch, maxRetries: 1 });
    await expect(client.getExport('e')).rejects.toBeInstanceOf(VexportConnectionError);
    expect(calls).toHaveLength(2);
  });

  it('cancels with POST …/cancel and retries it when the answer is lost (a repeated cancel is harmless)', async () => {
    const { calls, fetch } = scriptedFetch([
      new TypeError('fetch failed'),
      json({ id: 'e 1', status: 'cancelled' }),
    ]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch, maxRetries: 1 });
    await expect(client.cancelExport('e 1')).resolves.toMatchObject({ status: 'cancelled' });
    expect(calls.map((call) => `${call.init.method} ${call.url}`)).toEqual([
      'POST https://api.test/api/exports/e%201/cancel',
      'POST https://api.test/api/exports/e%201/cancel',
    ]);
  });

  it('never retries deleteExport: a repeat of a DELETE that cancelled would delete the export', async () => {
    const { calls, fetch } = scriptedFetch([
      new TypeError('fetch failed'),
      new Response(null, { status: 204 }),
    ]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch, maxRetries: 2 });
    await expect(client.deleteExport('e')).rejects.toBeInstanceOf(VexportConnectionError);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.init.method).toBe('DELETE');
  });

  it('makes a link the API answers as a path absolute on baseUrl, and leaves absolute links alone', async () => {
    const expires_at = '2030-01-01T00:00:00.000Z';
    const { fetch } = scriptedFetch([
      json({ url: '/api/files/exports/e.mp4?signature=s', expires_at }),
      json({ url: '/api/files/uploads/v.mp4?signature=s', expires_at }),
      json({ url: 'https://bucket.s3.test/e.mp4?X-Amz-Signature=s', expires_at }),
    ]);
    const client = createClient({ baseUrl: 'https://media.test/vexport/', token: 't', fetch });
    expect((await client.getExportDownloadUrl('e')).url).toBe(
      'https://media.test/vexport/api/files/exports/e.mp4?signature=s',
    );
    expect(await client.getVideoSourceUrl('v')).toEqual({
      url: 'https://media.test/vexport/api/files/uploads/v.mp4?signature=s',
      expires_at,
    });
    expect((await client.getExportDownloadUrl('e')).url).toBe(
      'https://bucket.s3.test/e.mp4?X-Amz-Signature=s',
    );
  });

  it('refuses both token and getToken', () => {
    expect(() => createClient({ baseUrl: 'x', token: 'a', getToken: () => 'b' })).toThrow(
      /either `token` or `getToken`/,
    );
  });

  it('drops undefined query values and encodes the rest', async () => {
    const { calls, fetch } = scriptedFetch([json({ exports: [], total: 0, page: 2, limit: 10 })]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    await client.listExports({ page: 2, limit: 10, status: undefined, sort: 'file_size_bytes' });
    expect(calls[0]!.url).toBe('https://api.test/api/exports?page=2&limit=10&sort=file_size_bytes');
  });
});

const link = (url: string) => json({ url, expires_at: '2030-01-01T00:00:00.000Z' });

describe('getVideoExports', () => {
  it('getVideoExports is listVideoExports: one function, listing the exports of one video', async () => {
    const page = { exports: [], total: 0, page: 1, limit: 20 };
    const { calls, fetch } = scriptedFetch([json(page)]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    expect(client.getVideoExports).toBe(client.listVideoExports);
    await expect(client.getVideoExports('v 1', { export_type: 'clips' })).resolves.toEqual(page);
    expect(calls[0]!.url).toBe('https://api.test/api/videos/v%201/exports?export_type=clips');
  });
});

describe('downloadExport', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('rejects outside a browser, pointing at saveExport, without asking the API', async () => {
    const { calls, fetch } = scriptedFetch([link('https://files.test/e.mp4')]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    const error = await client.downloadExport('e').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VexportError);
    expect(error).toMatchObject({ status: 0, code: 'unsupported_environment' });
    expect((error as Error).message).toMatch(/saveExport\(exportId, path\)/);
    expect(calls).toHaveLength(0);
  });

  it('in a browser, clicks a download link to the signed URL and resolves', async () => {
    const clicked: { href: string; download: string }[] = [];
    const element = {
      href: '',
      download: 'unset',
      click: () => clicked.push({ href: element.href, download: element.download }),
    };
    vi.stubGlobal('document', { createElement: (tag: string) => (tag === 'a' ? element : undefined) });
    const { calls, fetch } = scriptedFetch([link('/api/files/exports/e.mp4?signature=s')]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    await expect(client.downloadExport('e 1')).resolves.toBeUndefined();
    expect(calls[0]!.url).toBe('https://api.test/api/exports/e%201/download');
    expect(clicked).toEqual([{ href: 'https://api.test/api/files/exports/e.mp4?signature=s', download: '' }]);
  });
});

describe('saveExport', () => {
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, index) => index % 251));
  let server: Server;
  let origin: string;
  let folder: string;

  beforeEach(async () => {
    server = createServer((request, response) => {
      if (request.url === '/broken') {
        // promises the whole file, sends half of it and drops the connection
        response.writeHead(200, { 'content-length': String(bytes.length) });
        response.write(bytes.subarray(0, bytes.length / 2), () => response.destroy());
        return;
      }
      response.writeHead(200, { 'content-type': 'video/mp4' }).end(bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    folder = await mkdtemp(join(tmpdir(), 'vexport-sdk-'));
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the bytes of the export to the file', async () => {
    const { fetch } = scriptedFetch([link(`${origin}/e.mp4`)]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    const path = join(folder, 'e.mp4');
    await client.saveExport('e', path);
    expect((await readFile(path)).equals(bytes)).toBe(true);
  });

  it('leaves no partial file when the connection drops mid-file', async () => {
    const { fetch } = scriptedFetch([link(`${origin}/broken`)]);
    const client = createClient({ baseUrl: 'https://api.test', token: 't', fetch });
    const path = join(folder, 'broken.mp4');
    await expect(client.saveExport('e', path)).rejects.toThrow();
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(new Date(Date.now() + 3_000).toUTCString())).toBeGreaterThanOrEqual(2);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('parseServerSentEvents', () => {
  it('splits events across chunk boundaries, joins data lines and skips comments', async () => {
    const chunks = [
      'event: progress\ndata: {"a"',
      ':1}\n\n: heartbeat\n\n',
      'data: one\r\ndata: two\r\n\r\n',
    ];
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
    const events = [];
    for await (const event of parseServerSentEvents(body)) events.push(event);
    expect(events).toEqual([
      { event: 'progress', data: '{"a":1}', id: undefined },
      { event: 'message', data: 'one\ntwo', id: undefined },
    ]);
  });
});
