import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportCreateRequest, Video } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostNetwork } from './support/network-namespaces.js';
import { expectNothingLost } from './support/nothing-lost.js';
import { addWorker, startStack, waitFor, waitForFinished, type Stack } from './support/stack.js';

const USER = 'chaos-multi-host-user';

/** A log line of a worker: the fields the chunk pieces log when done. */
interface PieceLine {
  msg?: string;
  exportId?: string;
  piece?: string;
  worker?: string;
}

/** A 24-second 360p source with sound and a keyframe every second: long enough for chunks. */
function makeChunkableSource(path: string): void {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=24'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=24', '-c:v', 'libx264', '-preset', 'ultrafast'],
    ...['-g', '30', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path],
  ]);
}

/** Frames and duration of a file's video, counted from its packets. */
function videoFacts(path: string): { frames: number; seconds: number; width: number; height: number } {
  const [width, height, frames, seconds] = execFileSync(
    'ffprobe',
    [
      ...['-v', 'error', '-count_packets', '-select_streams', 'v:0'],
      ...['-show_entries', 'stream=width,height,nb_read_packets:format=duration', '-of', 'csv=p=0', path],
    ],
    { encoding: 'utf8' },
  )
    .split(/[\n,]/)
    .filter(Boolean)
    .map(Number);
  return { width: width!, height: height!, frames: frames!, seconds: seconds! };
}

/**
 * The deployment the README's scaling section describes: the API, PostgreSQL, Redis and the object store on
 * one machine, workers on others, sharing nothing but those services (each its own network namespace and
 * temp folder, storage through S3 only).
 */
describe('workers on separate hosts', () => {
  let network: HostNetwork;
  let stack: Stack;
  let scratch: string;
  let chunkable: Video;
  const workerLines: PieceLine[] = [];

  /** Which workers stored pieces of the export, from their 'piece done' log lines. */
  const piecesBy = (exportId: string) =>
    workerLines
      .filter((line) => line.msg === 'piece done' && line.exportId === exportId && line.piece !== 'join')
      .map((line) => ({ piece: line.piece!, worker: line.worker! }));

  /** Registers the chunkable source and waits until it is probed. */
  async function registerChunkable(): Promise<Video> {
    const path = join(scratch, 'chunkable.mp4');
    makeChunkableSource(path);
    let video = await stack.client.registerVideo({
      file: new Blob([readFileSync(path)]),
      filename: 'chunkable.mp4',
      title: 'Chunkable',
    });
    await waitFor(
      async () => {
        video = await stack.client.getVideo(video.id);
        return video.status === 'completed';
      },
      { timeoutMs: 30_000, message: 'the chunkable source was not probed' },
    );
    return video;
  }

  const chunkedRequest: ExportCreateRequest = {
    export_type: 'single',
    resolution: '720p',
    format: 'mp4',
    quality_preset: 'low',
    segment_selections: [{ start_time: 0, end_time: 24 }],
  };

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
      onWorkerLine: (line) => {
        if (line.startsWith('{')) workerLines.push(JSON.parse(line) as PieceLine);
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
          WORKER_ID: `${host}-${started}`,
          LOG_LEVEL: 'info',
          // a 24-second export is split, so a short source shows what a long one does
          CHUNKED_EXPORTS: 'true',
          CHUNK_MIN_OUTPUT_SECONDS: '10',
        });
      },
    });
    await addWorker(stack, 2);
    chunkable = await registerChunkable();
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

  it('splits a long re-encode across the hosts: each encodes chunks, the output has every frame', async () => {
    const created = await stack.client.createExport(chunkable.id, chunkedRequest);
    const finished = await waitForFinished(stack, created.id);
    expect(finished).toMatchObject({ status: 'completed' });
    const pieces = piecesBy(created.id);
    expect(pieces.map((entry) => entry.piece).sort()).toContain('chunk-0');
    expect(new Set(pieces.map((entry) => entry.worker.replace(/-\d+$/, ''))).size).toBe(2);
    const file = join(scratch, 'chunked.mp4');
    await stack.client.saveExport(created.id, file);
    const facts = videoFacts(file);
    expect(facts).toMatchObject({ width: 1280, height: 720, frames: 24 * 30 });
    expect(facts.seconds).toBeCloseTo(24, 1);
    await expectNothingLost(stack);
  });

  it('finishes a chunked export when a host dies mid-chunk: its piece is re-done by the other host', async () => {
    const created = await stack.client.createExport(chunkable.id, chunkedRequest);
    const [doomed] = stack.workers;
    const doomedTemp = join(scratch, network.hosts[0]!);
    const encodingPiece = async () =>
      existsSync(doomedTemp) &&
      readdirSync(doomedTemp, { recursive: true }).some((entry) =>
        String(entry).includes(`chunk-${created.id}-chunk`),
      );
    await waitFor(encodingPiece, {
      timeoutMs: 60_000,
      intervalMs: 50,
      message: 'the first host did not start a chunk',
    });
    // the machine dies: the worker and its ffmpeg together, no chance to clean up or hand over
    process.kill(-doomed!.pid, 'SIGKILL');
    await doomed!.exited;
    const finished = await waitForFinished(stack, created.id);
    expect(finished).toMatchObject({ status: 'completed' });
    const survivor = stack.workers[1]!;
    expect(survivor).toBeDefined();
    const file = join(scratch, 'chunked-after-kill.mp4');
    await stack.client.saveExport(created.id, file);
    expect(videoFacts(file).frames).toBe(24 * 30);
    await expectNothingLost(stack);
  });
});
