import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.js';

const BOUNDARY = 'vexport-cut-off';

/** A small, well-formed multipart upload: a title field and a 300-byte file. */
function multipartBody(): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\ncut off\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="clip.mp4"\r\n` +
        'Content-Type: video/mp4\r\n\r\n',
    ),
    Buffer.alloc(300, 7),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/** Every file under `dir` (relative paths), none when it does not exist. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/** The videos' folders in local storage (`uploads/{user}/{video}`). */
function videoFolders(uploads: string): string[] {
  try {
    return readdirSync(uploads, { withFileTypes: true }).flatMap((user) =>
      readdirSync(join(uploads, user.name)).map((video) => join(user.name, video)),
    );
  } catch {
    return [];
  }
}

/**
 * Multipart bodies that end early, sockets that close mid-upload and senders that trickle: each request
 * fails on its own (400, or no answer for a socket that went away), every process stays up, and nothing of a
 * failed upload stays behind (no row, no file, no temporary file).
 */
describe('cut-off and aborted uploads', () => {
  let stack: Stack;
  let apiExited = false;
  let workerExited = false;
  const body = multipartBody();

  beforeAll(async () => {
    stack = await startStack({ user: 'chaos-cut-off-user', env: { VIDEO_RATE_LIMIT_PER_HOUR: '100000' } });
    void stack.apis.api!.exited.then(() => (apiExited = true));
    void stack.workers[0]!.exited.then(() => (workerExited = true));
  });
  afterAll(async () => stack?.stop());

  const uploadsDir = () => join(stack.storageDir, 'uploads');

  async function videoRows(): Promise<number> {
    const client = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query('SELECT count(*)::int AS n FROM videos')).rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  function post(bytes: Buffer): Promise<Response> {
    return fetch(`${stack.urls.api}/api/videos`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.token}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      },
      body: bytes,
    });
  }

  /** Sends the head and `bodyBytes` of the body over a raw socket, declaring the whole length, then closes it. */
  function abortMidway(bodyBytes: number): Promise<void> {
    const url = new URL(stack.urls.api!);
    return new Promise((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/videos HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${stack.token}\r\n` +
            `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        socket.write(body.subarray(0, bodyBytes), () => setTimeout(() => socket.destroy(), 5));
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve());
    });
  }

  it('answers 400 to the body cut at every byte offset, and stores nothing', async () => {
    const before = await videoRows();
    const filesBefore = filesUnder(uploadsDir()).length;
    const statuses = new Map<number, number>();
    for (let length = 0; length < body.length; length += 1) {
      const response = await post(body.subarray(0, length));
      const answer = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      // the only body that can still parse is the whole upload missing its final CRLF
      if (response.status === 201) expect(length).toBeGreaterThanOrEqual(body.length - 2);
      else {
        expect(response.status, `cut at ${length}: ${answer.slice(0, 200)}`).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    }
    expect(statuses.get(400)).toBeGreaterThan(body.length - 5);
    const created = statuses.get(201) ?? 0;
    expect(await videoRows()).toBe(before + created);
    expect(filesUnder(uploadsDir()).length).toBe(filesBefore + created);
    expect(videoFolders(uploadsDir())).toHaveLength(await videoRows());
    expect(apiExited).toBe(false);
    expect((await fetch(`${stack.urls.api}/healthz`)).status).toBe(200);
  });

  it('closes the connection after answering a broken body', async () => {
    const url = new URL(stack.urls.api!);
    const cut = body.subarray(0, 120);
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/videos HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${stack.token}\r\n` +
            `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${cut.length}\r\n` +
            'Connection: keep-alive\r\n\r\n',
        );
        socket.write(cut);
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', reject);
      // resolves only if the server closes the connection itself
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });

  it('keeps going when clients close their sockets mid-upload, and leaves no partial file', async () => {
    const before = await videoRows();
    const filesBefore = filesUnder(uploadsDir());
    for (let sent = 0; sent < body.length; sent += 7) await abortMidway(sent);
    // the server notices each closed socket on its own time
    const deadline = Date.now() + 10_000;
    while (filesUnder(uploadsDir()).length !== filesBefore.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(filesUnder(uploadsDir())).toEqual(filesBefore);
    expect(await videoRows()).toBe(before);
    expect(videoFolders(uploadsDir())).toHaveLength(before);
    expect(apiExited).toBe(false);
    expect((await fetch(`${stack.urls.api}/healthz`)).status).toBe(200);
  });

  it('refuses an upload that declares more than the limit before reading its body', async () => {
    const url = new URL(stack.urls.api!);
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          `POST /api/videos HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${stack.token}\r\n` +
            `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${6 * 1024 ** 3}\r\n\r\n`,
        );
        socket.write(body.subarray(0, 100));
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer).toContain('"code":"payload_too_large"');
  });

  it('takes an upload from a slow sender, a few bytes at a time', async () => {
    const url = new URL(stack.urls.api!);
    const answer = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(Number(url.port), url.hostname, async () => {
        socket.write(
          `POST /api/videos HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${stack.token}\r\n` +
            `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n` +
            'Connection: close\r\n\r\n',
        );
        for (let offset = 0; offset < body.length; offset += 16) {
          socket.write(body.subarray(offset, offset + 16));
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      });
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(workerExited).toBe(false);
    expect(apiExited).toBe(false);
  });
});
