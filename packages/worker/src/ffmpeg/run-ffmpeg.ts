import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** What ffmpeg reports while it runs (`-progress`). */
export interface FfmpegProgress {
  /** Seconds of output written so far. */
  outTimeSeconds: number;
  /** Output seconds per wall-clock second, when ffmpeg knows it. */
  speed: number | undefined;
}

export interface RunFfmpegOptions {
  ffmpegPath: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: FfmpegProgress) => void) | undefined;
  /** Called with ffmpeg's process id once it has started. */
  onStarted?: ((pid: number) => void) | undefined;
  /** ffmpeg is killed when its resident memory passes this many bytes. */
  memoryLimitBytes?: number | undefined;
  /** Milliseconds between SIGTERM and SIGKILL when stopping ffmpeg. */
  killGraceMs?: number;
}

/** Why an ffmpeg run failed, with the end of its error output for the logs (never shown to users). */
export class FfmpegError extends Error {
  override name = 'FfmpegError';

  constructor(
    message: string,
    readonly kind: 'failed' | 'memory-limit' | 'no-space' | 'unreadable-input',
    readonly stderrTail: string,
  ) {
    super(message);
  }
}

const STDERR_TAIL_BYTES = 4_096;
const MEMORY_CHECK_MS = 500;

/** Reads the `key=value` blocks of `-progress pipe:1`; calls `emit` at the end of each block. */
export function createProgressParser(emit: (progress: FfmpegProgress) => void): (chunk: string) => void {
  let pending = '';
  let outTimeSeconds = 0;
  let speed: number | undefined;
  return (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const separator = line.indexOf('=');
      if (separator === -1) continue;
      const key = line.slice(0, separator).trim();
      const value = line.slice(separator + 1).trim();
      if (key === 'out_time_us' || key === 'out_time_ms') {
        const micros = Number(value);
        if (Number.isFinite(micros) && micros >= 0) outTimeSeconds = micros / 1_000_000;
      } else if (key === 'speed') {
        const parsed = Number.parseFloat(value);
        speed = Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
      } else if (key === 'progress') {
        emit({ outTimeSeconds, speed });
      }
    }
  };
}

/** Sorts ffmpeg's error output into what a person can act on. */
export function classifyFailure(stderr: string): { kind: FfmpegError['kind']; message: string } {
  if (/No space left on device/i.test(stderr)) {
    return { kind: 'no-space', message: 'The worker ran out of disk space while encoding. Try again later.' };
  }
  if (
    /Invalid data found|moov atom not found|could not find codec parameters|Invalid NAL unit|error reading header/i.test(
      stderr,
    )
  ) {
    return {
      kind: 'unreadable-input',
      message: 'The source video is damaged or in a format that cannot be read.',
    };
  }
  return { kind: 'failed', message: 'The video could not be encoded.' };
}

async function residentBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kilobytes = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kilobytes ? Number(kilobytes) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs ffmpeg with `args`, reporting progress, and stops it (SIGTERM, then SIGKILL) when `signal` aborts or
 * its memory passes the limit. Resolves when ffmpeg exits 0.
 */
export function runFfmpeg(args: readonly string[], options: RunFfmpegOptions): Promise<void> {
  const { ffmpegPath, signal, onProgress, onStarted, memoryLimitBytes, killGraceMs = 3_000 } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const child = spawn(ffmpegPath, ['-progress', 'pipe:1', '-nostats', '-loglevel', 'error', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) onStarted?.(child.pid);
    let stderr = '';
    let stopReason: unknown;
    const parse = createProgressParser((progress) => onProgress?.(progress));
    child.stdout.setEncoding('utf8').on('data', parse);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
    });

    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: unknown, signalName: NodeJS.Signals = 'SIGTERM') => {
      stopReason ??= reason;
      child.kill(signalName);
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    };
    const onAbort = () => stop(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const memoryTimer = memoryLimitBytes
      ? setInterval(async () => {
          const bytes = child.pid ? await residentBytes(child.pid) : undefined;
          if (bytes !== undefined && bytes > memoryLimitBytes) {
            const limit = Math.round(memoryLimitBytes / 1024 ** 2);
            stop(
              new FfmpegError(
                `Encoding needed more than the ${limit} MiB of memory allowed per export.`,
                'memory-limit',
                stderr,
              ),
              'SIGKILL',
            );
          }
        }, MEMORY_CHECK_MS)
      : undefined;

    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      clearInterval(memoryTimer);
    };
    child.on('error', (error) => {
      finish();
      reject(new FfmpegError(`cannot run ${ffmpegPath}: ${error.message}`, 'failed', ''));
    });
    child.on('close', (code) => {
      finish();
      if (stopReason !== undefined) reject(stopReason);
      else if (code === 0) resolve();
      else {
        const { kind, message } = classifyFailure(stderr);
        reject(new FfmpegError(message, kind, stderr));
      }
    });
  });
}
