import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  H264_ENCODERS,
  encoderGlobalArguments,
  encoderUploadFilter,
  type H264Encoder,
} from '../media/encoding.js';

const execFileAsync = promisify(execFile);

/** The outcome of trying one encoder. */
export interface EncoderTrial {
  encoder: H264Encoder;
  listed: boolean;
  works: boolean;
}

/** Names of the encoders this ffmpeg was built with (`ffmpeg -encoders`). */
export async function listEncoders(ffmpegPath: string): Promise<Set<string>> {
  const { stdout } = await execFileAsync(ffmpegPath, ['-hide_banner', '-encoders'], { timeout: 15_000 });
  const names = stdout
    .split('\n')
    .map((line) => /^\s[VAS][\w.]{5}\s+(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  return new Set(names);
}

/**
 * Encodes one frame with `encoder`. Being listed is not enough: h264_nvenc is built into Debian's ffmpeg and
 * fails without an NVIDIA GPU, VAAPI without a render node.
 */
export async function encoderWorks(ffmpegPath: string, encoder: H264Encoder): Promise<boolean> {
  const upload = encoderUploadFilter(encoder, 'mp4');
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    ...encoderGlobalArguments(encoder, 'mp4'),
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=256x144:rate=30:duration=0.1',
    ...(upload ? ['-vf', upload] : ['-pix_fmt', 'yuv420p']),
    '-frames:v',
    '1',
    '-c:v',
    encoder,
    '-f',
    'null',
    '-',
  ];
  try {
    await execFileAsync(ffmpegPath, args, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The H.264 encoder to use: the forced one if it works, else the first working hardware encoder
 * (NVENC, VAAPI, QSV, VideoToolbox), else libx264. Resolves with every trial, for the log.
 */
export async function chooseH264Encoder(
  ffmpegPath: string,
  preference: H264Encoder | 'auto' = 'auto',
): Promise<{ encoder: H264Encoder; trials: EncoderTrial[] }> {
  const listed = await listEncoders(ffmpegPath);
  const candidates = preference === 'auto' ? H264_ENCODERS : [preference, 'libx264' as const];
  const trials: EncoderTrial[] = [];
  for (const encoder of candidates) {
    const isListed = listed.has(encoder);
    const works = isListed && (await encoderWorks(ffmpegPath, encoder));
    trials.push({ encoder, listed: isListed, works });
    if (works) return { encoder, trials };
  }
  throw new Error('no working H.264 encoder: this ffmpeg has no libx264');
}
