import * as fc from 'fast-check';
import { Problem } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLost } from './support/nothing-lost.js';
import { listOperations, startStack, type Operation, type Stack } from './support/stack.js';

/** `npm run test:chaos` sends 10,000 requests; `npm test` sends 1,500. */
const RUNS = process.env.VEXPORT_CHAOS_FULL === '1' ? 10_000 : 1_500;

interface FuzzedRequest {
  operation: Operation;
  segments: string[];
  query: string;
  body: string | undefined;
  headers: Record<string, string>;
}

const printable = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: 'grapheme-ascii', ...options });

/**
 * fast-check's generated requests to every operation of the OpenAPI document: ids, query strings, bodies
 * and headers, valid and invalid mixed. Whatever arrives, the API never answers 5xx, every error is
 * problem+json with a stable code, and no answer carries a stack trace or a file path.
 */
describe('fuzzed requests to every endpoint', () => {
  let stack: Stack;
  let operations: Operation[];
  let validIds: string[];

  beforeAll(async () => {
    stack = await startStack({ user: 'chaos-fuzz-user', env: { EXPORT_RATE_LIMIT_PER_HOUR: '100000' } });
    operations = await listOperations(stack);
    const exported = await stack.client.createExport(stack.video.id, {
      export_type: 'clips',
      segment_selections: [{ start_time: 0, end_time: 1 }],
    });
    validIds = [stack.video.id, exported.id];
  });
  afterAll(async () => stack?.stop());

  function requests(): fc.Arbitrary<FuzzedRequest> {
    const segment = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...validIds) },
      fc.uuid(),
      printable({ maxLength: 40 }).map(encodeURIComponent),
      fc.constantFrom(
        '..',
        '%2e%2e%2f',
        '%00',
        '%ff',
        "'--",
        'a'.repeat(400),
        'uploads%2F..%2F..%2Fetc%2Fpasswd',
      ),
    );
    const query = fc.oneof(
      fc.constant(''),
      fc
        .array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom('page', 'limit', 'sort', 'order', 'status', 'expires', 'signature'),
              printable(),
            ),
            fc.oneof(printable({ maxLength: 30 }), fc.integer().map(String), fc.double().map(String)),
          ),
          { maxLength: 5 },
        )
        .map((pairs) => `?${new URLSearchParams(pairs)}`),
      printable({ maxLength: 60 }).map((raw) => `?${raw}`),
    );
    const exportLike = fc.record(
      {
        export_type: fc.oneof(fc.constantFrom('single', 'combined', 'clips'), fc.jsonValue()),
        resolution: fc.oneof(fc.constantFrom('720p', '1080p', '4k'), fc.jsonValue()),
        format: fc.oneof(fc.constantFrom('mp4', 'mov', 'webm'), fc.jsonValue()),
        quality_preset: fc.oneof(fc.constantFrom('high', 'medium', 'low'), fc.jsonValue()),
        segment_selections: fc.oneof(
          fc.array(
            fc.record({
              start_time: fc.oneof(fc.double(), fc.jsonValue()),
              end_time: fc.oneof(fc.double(), fc.jsonValue()),
              label: fc.oneof(fc.string(), fc.jsonValue()),
            }),
            { maxLength: 4 },
          ),
          fc.jsonValue(),
        ),
        default_resolution: fc.jsonValue(),
        source_url: fc.oneof(fc.webUrl(), fc.string()),
        storage_key: fc.oneof(fc.string(), fc.constantFrom('../../etc/passwd', '/etc/passwd', 'shared/../x')),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json(),
      exportLike.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    );
    const headers = fc.record(
      {
        authorization: fc.oneof(
          { weight: 6, arbitrary: fc.constant(`Bearer ${stack.token}`) },
          printable({ maxLength: 80 }),
          printable({ maxLength: 200 }).map((token) => `Bearer ${token}`),
          fc.constant(`Bearer ${stack.token.slice(0, -4)}AAAA`),
        ),
        'content-type': fc.oneof(
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-16',
            'text/plain',
            'multipart/form-data',
            'multipart/form-data; boundary=xyz',
            'application/x-www-form-urlencoded',
          ),
          printable({ maxLength: 40 }),
        ),
        'idempotency-key': printable({ maxLength: 300 }),
        accept: fc.constantFrom('application/json', 'text/event-stream', '*/*'),
      },
      { requiredKeys: [] },
    );
    return fc.record({
      operation: fc.constantFrom(...operations),
      segments: fc.array(segment, { minLength: 2, maxLength: 2 }),
      query,
      body,
      headers,
    });
  }

  async function send({ operation, segments, query, body, headers }: FuzzedRequest) {
    let index = 0;
    const path = operation.path.replace(/\{\w+\}/g, () => segments[index++ % segments.length]!);
    const controller = new AbortController();
    const response = await fetch(`${stack.urls.api}${path}${query}`, {
      method: operation.method,
      headers,
      body: operation.method === 'GET' || operation.method === 'DELETE' ? undefined : body,
      signal: controller.signal,
      redirect: 'manual',
    });
    // a progress stream that opened stays open: its headers are the answer
    if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
      controller.abort();
      return { status: response.status, contentType: 'text/event-stream', text: '' };
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  }

  it(`answers ${RUNS} generated requests without a 5xx, always with problem+json errors`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(), async (request) => {
        const { status, contentType, text } = await send(request);
        seen.set(status, (seen.get(status) ?? 0) + 1);
        const where = `${request.operation.method} ${request.operation.path} → ${status}: ${text.slice(0, 200)}`;
        expect(status, where).toBeLessThan(500);
        expect(text, where).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.[jt]s:\d+:\d+/);
        if (status >= 400) {
          expect(contentType, where).toMatch(/^application\/problem\+json/);
          const problem = Problem.parse(JSON.parse(text));
          expect(problem.status, where).toBe(status);
        }
      }),
      { numRuns: RUNS },
    );
    // the run reached past authentication and validation, not only the front door
    expect([...seen.keys()]).toEqual(expect.arrayContaining([200, 401, 404, 422]));
  });

  it('loses nothing: every export finished, exactly its files stored, no temp left', async () => {
    await expectNothingLost(stack, { inFlight: true });
  });
});
