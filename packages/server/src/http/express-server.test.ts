import { IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createExpressServer } from './express-server.js';

describe('createExpressServer', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function listen(app: express.Express): Promise<string> {
    server = createExpressServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('creates requests and responses with the app’s prototypes before Express sees them', async () => {
    const app = express();
    app.get('/', (_request, response) => {
      response.json({ ok: true });
    });
    const base = await listen(app);
    const seen: boolean[] = [];
    server!.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      seen.push(
        Object.getPrototypeOf(request) === app.request,
        Object.getPrototypeOf(response) === app.response,
        request instanceof IncomingMessage,
        response instanceof ServerResponse,
        (request as express.Request).app === app,
      );
    });

    const answer = await fetch(`${base}/`);

    expect(answer.status).toBe(200);
    expect(seen).toEqual([true, true, true, true, true]);
  });

  it('serves requests as Express does: body parsing, headers, status and JSON', async () => {
    const app = express();
    app.use(express.json());
    app.post('/echo/:name', (request, response) => {
      response
        .status(201)
        .set('X-Name', request.params.name)
        .json({ body: request.body as unknown, header: request.get('x-test') });
    });
    const base = await listen(app);

    const answer = await fetch(`${base}/echo/clip`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      body: JSON.stringify({ segments: [1, 2] }),
    });

    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-name')).toBe('clip');
    expect(await answer.json()).toEqual({ body: { segments: [1, 2] }, header: 'yes' });
  });
});
