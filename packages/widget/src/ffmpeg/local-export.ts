import {
  SHORT_SIDE_PIXELS,
  targetDimensions,
  type ExportSegmentInput,
  type SourcePicture,
  type Format,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import type { BrowserFfmpeg } from './browser-ffmpeg.js';

/** An export made in the browser: one file (single or combined), from a source the page already has. */
export interface LocalExportRequest {
  segments: readonly ExportSegmentInput[];
  resolution: Resolution;
  quality: QualityPreset;
  format: Format;
  /** Whether the source has an audio stream. */
  hasAudio: boolean;
  /**
   * The source's picture as the API probed it: the output then has exactly the size the service's exports
   * have (1280×720 for an 854×480 source at 720p). Without it the short side is scaled to the resolution and
   * the aspect kept.
   */
  source?: SourcePicture | undefined;
}

const CRF: Record<QualityPreset, number> = { high: 20, medium: 25, low: 30 };
const seconds = (value: number) => value.toFixed(3);

/** The input file name inside ffmpeg.wasm's memory file system. */
export const LOCAL_INPUT = 'input';

/**
 * ffmpeg arguments for a browser export: each segment trimmed from the one input (video and audio alike),
 * joined, scaled so the short side matches the resolution, and encoded fast (ffmpeg.wasm runs about
 * realtime, so the presets favour speed).
 */
export function planLocalExport({
  segments,
  resolution,
  quality,
  format,
  hasAudio,
  source,
}: LocalExportRequest): {
  args: string[];
  output: string;
} {
  const short = SHORT_SIDE_PIXELS[resolution];
  const chains: string[] = [];
  const joined: string[] = [];
  segments.forEach((segment, index) => {
    const range = `start=${seconds(segment.start_time)}:end=${seconds(segment.end_time)}`;
    chains.push(`[0:v:0]trim=${range},setpts=PTS-STARTPTS[v${index}]`);
    joined.push(`[v${index}]`);
    if (hasAudio) {
      chains.push(`[0:a:0]atrim=${range},asetpts=PTS-STARTPTS,aresample=48000[a${index}]`);
      joined.push(`[a${index}]`);
    }
  });
  const size = source && targetDimensions(source, resolution);
  const scale = size
    ? `scale=${size.width}:${size.height},setsar=1,format=yuv420p`
    : `scale='if(gte(iw,ih),-2,${short})':'if(gte(iw,ih),${short},-2)',setsar=1,format=yuv420p`;
  chains.push(
    `${joined.join('')}concat=n=${segments.length}:v=1:a=${hasAudio ? 1 : 0}[vj]${hasAudio ? '[aout]' : ''}`,
  );
  chains.push(`[vj]${scale}[vout]`);
  const output = `output.${format}`;
  const video =
    format === 'webm'
      ? [
          '-c:v',
          'libvpx-vp9',
          '-deadline',
          'realtime',
          '-cpu-used',
          '8',
          '-crf',
          String(CRF[quality] + 8),
          '-b:v',
          '0',
        ]
      : ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', String(CRF[quality])];
  const audio = hasAudio
    ? format === 'webm'
      ? ['-c:a', 'libopus', '-b:a', '128k']
      : ['-c:a', 'aac', '-b:a', '128k']
    : [];
  const container = format === 'webm' ? [] : ['-movflags', '+faststart'];
  return {
    args: [
      '-i',
      LOCAL_INPUT,
      '-filter_complex',
      chains.join(';'),
      '-map',
      '[vout]',
      ...(hasAudio ? ['-map', '[aout]'] : []),
      ...video,
      ...audio,
      ...container,
      output,
    ],
    output,
  };
}

/** Arguments for a quick low-resolution preview of the first seconds of a segment. */
export function planPreview(segment: ExportSegmentInput, maxSeconds = 5): { args: string[]; output: string } {
  const length = Math.min(maxSeconds, segment.end_time - segment.start_time);
  return {
    args: [
      '-ss',
      seconds(segment.start_time),
      '-t',
      seconds(length),
      '-i',
      LOCAL_INPUT,
      '-vf',
      'scale=-2:240,format=yuv420p',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-crf',
      '30',
      '-c:a',
      'aac',
      '-b:a',
      '64k',
      '-movflags',
      '+faststart',
      'preview.mp4',
    ],
    output: 'preview.mp4',
  };
}

const MIME: Record<string, string> = { mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm' };

/** Writes the source into ffmpeg.wasm's memory, runs the arguments and returns the output as a Blob. */
export async function runInBrowser(
  ffmpeg: BrowserFfmpeg,
  source: Blob,
  plan: { args: string[]; output: string },
  { onProgress, signal }: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<Blob> {
  const report = ({ progress }: { progress: number }) => onProgress?.(Math.min(1, Math.max(0, progress)));
  ffmpeg.on('progress', report);
  try {
    await ffmpeg.writeFile(LOCAL_INPUT, new Uint8Array(await source.arrayBuffer()), { signal });
    const code = await ffmpeg.exec(plan.args, undefined, { signal });
    if (code !== 0) throw new Error('The video could not be encoded in this browser.');
    const data = (await ffmpeg.readFile(plan.output, 'binary', { signal })) as Uint8Array;
    const extension = plan.output.split('.').pop() ?? 'mp4';
    return new Blob([data.slice()], { type: MIME[extension] ?? 'application/octet-stream' });
  } finally {
    ffmpeg.off('progress', report);
    await ffmpeg.deleteFile(plan.output).catch(() => undefined);
    await ffmpeg.deleteFile(LOCAL_INPUT).catch(() => undefined);
  }
}
