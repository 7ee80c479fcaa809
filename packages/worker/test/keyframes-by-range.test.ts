import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { S3Storage } from '@vexport/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceEnv, uniqueName } from '../../../testing/services.js';
import { openHttpByteSource } from '../src/media/byte-source.js';
import { listVideoPackets, readVideoPacketIndex } from '../src/media/keyframes.js';
import { readMp4VideoPacketIndex } from '../src/media/mp4-sample-index.js';
import { openStoredSource } from '../src/sources/stored-source.js';

const run = promisify(execFile);

/** Five minutes of small H.264 with a keyframe every 2 s and AAC audio, its moov at the end (ffmpeg's default). */
async function makeSource(path: string): Promise<void> {
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30:duration=300'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=300'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60'],
    ...['-c:a', 'aac', '-b:a', '64k'],
    path,
  ]);
}

describe('keyframes of a stored source read by range over its presigned URL (S3)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-keyframes-by-range-'));
  const prefix = `uploads/${uniqueName('range')}/`;
  const local = { mp4: join(scratch, 'five-minutes.mp4'), mkv: join(scratch, 'five-seconds.mkv') };
  let s3: S3Storage;

  beforeAll(async () => {
    s3 = new S3Storage({
      bucket: serviceEnv('S3_BUCKET'),
      endpoint: serviceEnv('S3_ENDPOINT'),
      forcePathStyle: true,
    });
    await makeSource(local.mp4);
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-i', local.mp4, '-t', '5', '-c', 'copy'],
      local.mkv,
    ]);
    await s3.put(`${prefix}source.mp4`, { filePath: local.mp4 });
    await s3.put(`${prefix}source.mkv`, { filePath: local.mkv });
  }, 120_000);

  afterAll(async () => {
    await s3?.deletePrefix(prefix);
    s3?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('reads an MP4’s keyframes from its sample tables with a small part of the file’s bytes', async () => {
    const { url } = await s3.createDownloadUrl(`${prefix}source.mp4`, { expiresInSeconds: 60 });
    const source = await openHttpByteSource(url);
    const index = await readMp4VideoPacketIndex(source);
    await source.close();

    const listed = await listVideoPackets('ffprobe', local.mp4);
    expect(index?.keyframeTimes).toEqual(listed.keyframeTimes);
    expect(index?.keyframeTimes).toHaveLength(150);
    expect(index?.frameTimes.length).toBe(listed.frameTimes.length);
    const size = statSync(local.mp4).size;
    expect(source.size).toBe(size);
    // the box headers and the video's sample tables, not the media
    expect(source.bytesRead).toBeLessThan(size / 20);
  });

  it('is how the split of a chunked export reads an MP4 in storage: no ffprobe run at all', async () => {
    const source = await openStoredSource(s3, `${prefix}source.mp4`, { expiresInSeconds: 60 });
    try {
      const index = await readVideoPacketIndex('/nonexistent/ffprobe', source.path);
      expect(index.keyframeTimes).toEqual((await listVideoPackets('ffprobe', local.mp4)).keyframeTimes);
    } finally {
      source.close();
    }
  });

  it('falls back to ffprobe over the URL for a container without sample tables', async () => {
    const source = await openStoredSource(s3, `${prefix}source.mkv`, { expiresInSeconds: 60 });
    try {
      const index = await readVideoPacketIndex('ffprobe', source.path);
      expect(index.keyframeTimes).toEqual((await listVideoPackets('ffprobe', local.mkv)).keyframeTimes);
      expect(index.keyframeTimes.length).toBeGreaterThan(1);
    } finally {
      source.close();
    }
  });

  it('reads no URL that the worker did not mint for its own storage, by range or with ffprobe', async () => {
    const { url } = await s3.createDownloadUrl(`${prefix}source.mp4`, { expiresInSeconds: 60 });
    await expect(readVideoPacketIndex('ffprobe', url)).rejects.toThrow(/could not list the packets/);
  });

  it('fails, for the caller to fall back to ffprobe, when a server answers a range with the whole file', async () => {
    const server = createServer((_request, response) => response.end(Buffer.alloc(100_000)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(openHttpByteSource(`http://127.0.0.1:${port}/source.mp4`)).rejects.toThrow(/200, not 206/);
    } finally {
      server.close();
    }
  });
});
