import type { Express, Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { ProgressEventHub } from '../src/exports/progress-event-hub.js';
import { JobQueues } from '../src/queue/job-queues.js';
import { defaultTestConfig, startTestApi, type TestApi } from './support/test-api.js';

interface Layer {
  /** The path the layer was mounted or routed at. */
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: Router & { stack?: Layer[] };
}

/** Every "METHOD /path" Express serves, in OpenAPI path syntax (mount paths of routers included). */
function expressRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const routed = layer.route.path === '/' && prefix ? '' : layer.route.path;
        const path = `${prefix}${routed}`.replace(/:(\w+)/g, '{$1}').replace(/\*(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) {
        walk(
          layer.handle.stack,
          layer.rawPath && layer.rawPath !== '/' ? `${prefix}${layer.rawPath}` : prefix,
        );
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found.sort();
}

describe('GET /api/openapi.json', () => {
  let api: TestApi;
  let document: {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: object };
  };

  beforeAll(async () => {
    api = await startTestApi();
    document = (await (await fetch(`${api.baseUrl}/api/openapi.json`)).json()) as typeof document;
  });
  afterAll(() => api.close());

  it('is an OpenAPI 3.1 document with the contract’s schemas as components', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['Export', 'ExportCreateRequest', 'Problem', 'Video']),
    );
    const exportSchema = (
      document.components.schemas as Record<string, { properties: Record<string, unknown> }>
    ).Export!;
    expect(Object.keys(exportSchema.properties)).toEqual(
      expect.arrayContaining(['segment_selections', 'progress_percentage']),
    );
  });

  it('documents exactly the routes the application serves', () => {
    const queues = new JobQueues(process.env.REDIS_URL!);
    const app = createApp({
      config: defaultTestConfig,
      sequelize: api.sequelize,
      models: api.models,
      redis: api.redis,
      storage: api.storage,
      queues,
      events: new ProgressEventHub(api.redis),
      logger: pino({ level: 'silent' }),
    });
    const documented = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(expressRoutes(app)).toEqual(documented);
    void queues.close();
  });
});
