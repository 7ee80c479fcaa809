import type { Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { demoConfigRoute } from './demo-config-route.js';

const secret = 'a-development-secret-of-32-characters!!';

/** Calls the route as Express would for a client at `remoteAddress`; resolves to the JSON it sent. */
function ask(
  route: ReturnType<typeof demoConfigRoute>,
  remoteAddress: string | undefined,
  host = 'localhost:8080',
) {
  let sent: { apiBase: string; token: string } | undefined;
  const response = {
    set: () => response,
    json: (body: typeof sent) => {
      sent = body;
      return response;
    },
  } as unknown as Response;
  // X-Forwarded-For names loopback, as a client behind any proxy could make it say
  const request = {
    socket: { remoteAddress },
    headers: { 'x-forwarded-for': '127.0.0.1', host },
    ip: '127.0.0.1',
  } as unknown as Request;
  void route(request, response, () => undefined);
  return sent;
}

describe('demoConfigRoute', () => {
  const route = demoConfigRoute({ auth: { secret, algorithms: ['HS256'] }, user: 'demo-user' });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])(
    'hands a client on this machine (%s) a fresh 12-hour token for the demo user',
    (address) => {
      const config = ask(route, address)!;
      expect(config.apiBase).toBe('');
      const payload = jwt.verify(config.token, secret, { algorithms: ['HS256'] }) as jwt.JwtPayload;
      expect(payload.sub).toBe('demo-user');
      expect(payload.exp! - payload.iat!).toBe(12 * 3600);
    },
  );

  it.each(['192.168.1.20', '10.0.0.1', '::ffff:192.168.1.20', 'fe80::1', '2001:db8::1', undefined])(
    'refuses a client elsewhere (%s) with 403, whatever X-Forwarded-For says',
    (address) => {
      expect(() => ask(route, address)).toThrow(
        expect.objectContaining({ status: 403, code: 'forbidden' }) as Error,
      );
    },
  );

  it.each(['localhost', '127.0.0.1:8080', '[::1]:8080', 'LOCALHOST:80'])(
    'answers a loopback client that names this machine (Host: %s)',
    (host) => {
      expect(ask(route, '127.0.0.1', host)?.token).toBeTruthy();
    },
  );

  it.each(['attacker.example:8080', 'localhost.attacker.example', '127.0.0.1.nip.io:8080', ''])(
    'refuses a loopback client that reached it by another name (Host: %s), as a DNS-rebinding page would',
    (host) => {
      expect(() => ask(route, '127.0.0.1', host)).toThrow(
        expect.objectContaining({ status: 403, code: 'forbidden' }) as Error,
      );
    },
  );

  it("mints within the API's maximum lifetime when it is shorter than 12 hours", () => {
    const short = demoConfigRoute({
      auth: { secret, algorithms: ['HS256'], maxLifetimeSeconds: 600, audience: 'vexport' },
      user: 'demo-user',
    });
    const payload = jwt.verify(ask(short, '127.0.0.1')!.token, secret, {
      audience: 'vexport',
    }) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(600);
  });
});
