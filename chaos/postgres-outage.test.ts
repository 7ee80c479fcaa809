import { Problem } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from './support/fault-proxy.js';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, type Stack } from './support/stack.js';

/** Every process reaches PostgreSQL through a proxy the test can cut. */
describe('PostgreSQL unavailable', () => {
  let proxy: FaultProxy;
  let stack: Stack;

  beforeAll(async () => {
    const adminUrl = new URL(process.env.VEXPORT_TEST_POSTGRES_ADMIN_URL!);
    proxy = await FaultProxy.start(Number(adminUrl.port));
    stack = await startStack({
      env: (base) => {
        const viaProxy = new URL(base.DATABASE_URL!);
        viaProxy.port = String(proxy.port);
        return { DATABASE_URL: viaProxy.href };
      },
    });
  });
  afterAll(async () => {
    await proxy?.restore();
    await stack?.stop();
    await proxy?.stop();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.urls.api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
    });
  const exportBody = JSON.stringify({
    export_type: 'single',
    resolution: '720p',
    format: 'mp4',
    quality_preset: 'low',
    segment_selections: [{ start_time: 1, end_time: 3 }],
  });

  async function expectUnavailable(response: Response) {
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('retry-after')).toBeTruthy();
    const problem = Problem.parse(await response.json());
    expect(problem.code).toBe('service_unavailable');
    return problem;
  }

  it('answers 503 problem+json while it is down, loses nothing, and recovers without a restart', async () => {
    expect((await api('/api/exports')).status).toBe(200);
    await proxy.cut();

    const ready = await fetch(`${stack.urls.api}/readyz`);
    expect((await expectUnavailable(ready)).detail).toContain('PostgreSQL');
    await expectUnavailable(await api('/api/exports'));
    await expectUnavailable(await api(`/api/videos/${stack.video.id}`));
    await expectUnavailable(
      await api(`/api/videos/${stack.video.id}/export`, { method: 'POST', body: exportBody }),
    );
    const health = await fetch(`${stack.urls.api}/healthz`);
    expect(health.status).toBe(200);
    expect((await health.json()).status).toBe('degraded');

    await proxy.restore();
    await waitFor(async () => (await fetch(`${stack.urls.api}/readyz`)).ok, {
      timeoutMs: 30_000,
      message: 'readyz did not recover after PostgreSQL came back',
    });
    // the refused create left no export behind
    expect((await stack.client.listExports()).total).toBe(0);
    // the API and the worker both work again, in the same processes
    const created = await stack.client.createExport(stack.video.id, JSON.parse(exportBody));
    await waitFor(async () => (await stack.client.getExport(created.id)).status === 'completed', {
      timeoutMs: 60_000,
      intervalMs: 300,
      message: 'an export made after the outage did not complete',
    });
    await expectNothingLost(stack);
  });
});
