import { describe, expect, it } from 'vitest';
import { workersForPieces, workersSharingExport, type SharingWorker } from './chunk-sharing.js';

const splitting = { min_output_seconds: 60, min_chunk_seconds: 10 };
const cpu: SharingWorker = { h264_encoder: 'libx264', chunking: splitting };
const nvenc: SharingWorker = { h264_encoder: 'h264_nvenc', chunking: splitting };
const alone: SharingWorker = { h264_encoder: 'libx264', chunking: null };
const older: SharingWorker = {};

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

describe('workersSharingExport', () => {
  const reencode = (mediaSeconds: number, format: 'mp4' | 'webm' = 'mp4') =>
    ({ mode: 'reencode', format, mediaSeconds }) as const;

  it.each([
    ['a long re-encode on four workers', [cpu, cpu, cpu, cpu], reencode(300), 4],
    ['as many as its shortest chunks go round', [cpu, cpu, cpu, cpu], reencode(75), 4],
    ['90 s on 16 workers: nine chunks of 10 s', Array(16).fill(cpu), reencode(90), 9],
    ['shorter than the workers split', [cpu, cpu], reencode(59), 1],
    ['one worker', [cpu], reencode(300), 1],
    ['no worker alive', [], reencode(300), 1],
    ['a worker that does not split', [cpu, alone], reencode(300), 1],
    ['a worker older than the announcement', [cpu, older], reencode(300), 1],
    ['NVENC beside libx264, H.264', [cpu, nvenc], reencode(300), 1],
    ['NVENC beside libx264, VP9', [cpu, nvenc], reencode(300, 'webm'), 2],
    ['every worker on NVENC', [nvenc, nvenc, nvenc], reencode(300), 3],
  ] as const)('%s', (_case, workers, request, expected) => {
    expect(workersSharingExport(workers, request)).toBe(expected);
  });

  it.each(['copy', 'smart-cut'] as const)('keeps a %s on one worker', (mode) => {
    expect(workersSharingExport([cpu, cpu], { mode, format: 'mp4', mediaSeconds: 600 })).toBe(1);
  });

  it('uses the strictest rule of the workers', () => {
    const late = { h264_encoder: 'libx264', chunking: { min_output_seconds: 120, min_chunk_seconds: 30 } };
    expect(workersSharingExport([cpu, late], reencode(100))).toBe(1);
    expect(workersSharingExport([cpu, late, cpu], reencode(150))).toBe(3);
    expect(workersSharingExport([cpu, late, cpu, cpu], reencode(150))).toBe(4);
    expect(workersSharingExport([cpu, late, cpu, cpu, cpu, cpu], reencode(150))).toBe(5);
  });
});
