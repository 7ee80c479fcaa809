import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestMedia, type TestMedia } from '../../../../testing/media.js';
import { listVideoPackets, readVideoPacketIndex } from './keyframes.js';

describe('readVideoPacketIndex (real ffprobe)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vexport-keyframes-'));
  let media: TestMedia;

  beforeAll(async () => {
    media = await createTestMedia(scratch);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('lists every frame in presentation order and the keyframes among them', async () => {
    // 4 s at 30 fps with a keyframe every 60 frames
    const index = await readVideoPacketIndex('ffprobe', media.landscape);
    expect(index.frameTimes).toHaveLength(120);
    expect(index.frameTimes.every((time, frame) => frame === 0 || time > index.frameTimes[frame - 1]!)).toBe(
      true,
    );
    expect(index.keyframeTimes.map((time) => time.toFixed(3))).toEqual(['0.000', '2.000']);
  });

  it('fails with ffprobe’s words when the file is not media', async () => {
    const text = join(scratch, 'notes.mp4');
    writeFileSync(text, 'not a video');
    await expect(readVideoPacketIndex('ffprobe', text)).rejects.toThrow(/could not list the packets/);
    await expect(listVideoPackets('ffprobe', text)).rejects.toThrow(/could not list the packets/);
  });

  it('stops when the job is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(readVideoPacketIndex('ffprobe', media.landscape, controller.signal)).rejects.toThrow();
    await expect(listVideoPackets('ffprobe', media.landscape, controller.signal)).rejects.toThrow();
  });
});
