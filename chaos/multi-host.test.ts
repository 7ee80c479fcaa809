import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportCreateRequest } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostNetwork } from './support/network-namespaces.js';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, waitForFinished, type Stack } from './support/stack.js';

const USER = 'chaos-multi-host-user';

/**
 * The deployment the README's scaling section describes: the API, PostgreSQL, Redis and the object store on
 * one machine, workers on others, sharing nothing but those services (each its own network namespace and
 * temp folder, storage through S3 only).
 */
describe('workers on separate hosts', () => {
  let network: HostNetwork;
  let stack: Stack;
  let scratch: string;

  beforeAll(async () => {
    network = HostNetwork.create(2);
    scratch = mkdtempSync(join(tmpdir(), 'vexport-hosts-'));
    for (const url of [
      process.env.REDIS_URL!,
      process.env.VEXPORT_TEST_POSTGRES_ADMIN_URL!,
      process.env.S3_ENDPOINT!,
    ]) {
      await network.relay(url);
    }
    const s3 = {
      S3_BUCKET: process.env.S3_BUCKET!,
      S3_REGION: process.env.S3_REGION!,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ENDPOINT: process.env.S3_ENDPOINT!,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID!,
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY!,
    };
    let stackEnv: Record<string, string> = {};
    let started = 0;
    stack = await startStack({
      user: USER,
      env: (base) => {
        stackEnv = { ...base, ...s3 };
        return s3;
      },
      workerCommand: (command, args) => {
        const host = network.hosts[started % network.hosts.length]!;
        started += 1;
        return network.command(host, command, args, {
          DATABASE_URL: network.reachable(stackEnv.DATABASE_URL!),
          REDIS_URL: network.reachable(stackEnv.REDIS_URL!),
          S3_ENDPOINT: network.reachable(stackEnv.S3_ENDPOINT!),
          // no shared folder: every file goes through the object store
          STORAGE_DIR: undefined,
          WORKER_TEMP_DIR: join(scratch, host),
        });
      },
    });
    stack.startWorker();
    await waitFor(
      async () => {
        const health = (await (await fetch(`${stack.urls.api}/healthz`)).json()) as { workers: unknown[] };
        return health.workers.length === 2;
      },
      { timeoutMs: 30_000, message: 'the second worker did not start' },
    );
  });
  afterAll(async () => {
    await stack?.stop();
    await network?.destroy();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps each host to the services: the root namespace’s loopback is out of its reach', () => {
    const redisPort = new URL(process.env.REDIS_URL!).port;
    const [command, args] = network.command(
      network.hosts[0]!,
      process.execPath,
      [
        '-e',
        `require('net').connect(${redisPort}, '127.0.0.1').on('connect', () => process.exit(0)).on('error', (e) => { console.log(e.code); process.exit(3); })`,
      ],
      {},
    );
    let refused = '';
    try {
      execFileSync(command, args, { encoding: 'utf8' });
    } catch (error) {
      refused = String((error as { stdout: string }).stdout).trim();
    }
    expect(refused).toBe('ECONNREFUSED');
  });

  it('exports through workers that share only PostgreSQL, Redis and S3 with the API', async () => {
    const request: ExportCreateRequest = {
      export_type: 'combined',
      resolution: '720p',
      format: 'mp4',
      quality_preset: 'low',
      segment_selections: [
        { start_time: 0.5, end_time: 2 },
        { start_time: 3, end_time: 5 },
      ],
    };
    const created = await stack.client.createExport(stack.video.id, request);
    const finished = await waitForFinished(stack, created.id);
    expect(finished).toMatchObject({ status: 'completed' });
    const file = join(scratch, 'combined.mp4');
    await stack.client.saveExport(created.id, file);
    const [width, height, duration] = execFileSync(
      'ffprobe',
      [
        ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration'],
        ...['-of', 'csv=p=0', file],
      ],
      { encoding: 'utf8' },
    )
      .split(/[\n,]/)
      .filter(Boolean)
      .map(Number);
    expect([width, height]).toEqual([1280, 720]);
    expect(duration).toBeCloseTo(3.5, 1);
    await expectNothingLost(stack);
  });
});
