import { describe, expect, it } from 'vitest';
import { workersForPieces } from './piece-workers.js';

const cpu = { h264_encoder: 'libx264' };
const nvenc = { h264_encoder: 'h264_nvenc' };
const older = {};

describe('workersForPieces', () => {
  it.each([
    ['libx264 pieces: every worker', [cpu, nvenc, older], 'mp4', 'libx264', 3],
    ['NVENC pieces, every worker has NVENC', [nvenc, nvenc], 'mov', 'h264_nvenc', 2],
    ['NVENC pieces, one worker without: none', [nvenc, cpu], 'mp4', 'h264_nvenc', 0],
    ['NVENC pieces, a worker that announces no encoder: none', [nvenc, older], 'mp4', 'h264_nvenc', 0],
    ['VAAPI pieces, NVENC workers: none', [nvenc, nvenc], 'mp4', 'h264_vaapi', 0],
    ['VP9 pieces: every worker, whatever its H.264 encoder', [nvenc, cpu], 'webm', 'h264_nvenc', 2],
  ] as const)('%s', (_case, workers, format, encoder, expected) => {
    expect(workersForPieces(workers, format, encoder)).toBe(expected);
  });
});
