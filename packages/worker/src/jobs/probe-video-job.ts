import type { Models, Video } from '@vexport/db';
import type { ObjectStorage } from '@vexport/storage';
import type { Logger } from 'pino';
import { probeSource } from '../ffmpeg/ffprobe.js';
import { assertWithinLimits, type SourceLimits } from '../media/media-probe.js';
import { isUrlSource, materializeSource, sourceExtension } from '../sources/materialize-source.js';
import { refuseTextSource } from '../sources/text-source.js';
import type { JobWorkspace } from '../workspace/job-workspace.js';
import { describeFailure, isPermanent, refusalCode } from './job-errors.js';

export interface ProbeJobContext {
  models: Models;
  storage: ObjectStorage;
  workspace: JobWorkspace;
  logger: Logger;
  ffmpegPath: string;
  ffprobePath: string;
  allowPrivateSourceUrls: boolean;
  maxSourceBytes: number;
  limits: SourceLimits;
}

export interface JobAttempt {
  /** True when bee-queue will not retry after this attempt. */
  isLastAttempt: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * `probe_video(video_id)`: reads the source's duration, size, frame rate, codecs and rotation with ffprobe.
 * A URL source is imported into storage, so exports never depend on the remote staying up. The video ends
 * `completed`, or `failed` with a message for the user and, when the source itself was refused, its code.
 */
export async function runProbeVideoJob(
  videoId: string,
  attempt: JobAttempt,
  context: ProbeJobContext,
): Promise<void> {
  const { models, logger } = context;
  const video = await models.Video.findByPk(videoId);
  if (!video || video.status === 'completed' || video.status === 'failed') return;
  await video.update({ status: 'processing' });
  try {
    await context.workspace.withJobDir(`probe-${videoId}`, (dir) => probeInto(video, dir, attempt, context));
    logger.info({ videoId, duration: video.duration_seconds, codec: video.video_codec }, 'video probed');
  } catch (error) {
    if (!isPermanent(error) && !attempt.isLastAttempt) throw error;
    logger.warn({ videoId, err: error }, 'video probe failed');
    await video.update({
      status: 'failed',
      error_message: describeFailure(error),
      error_code: refusalCode(error),
    });
  }
}

async function probeInto(
  video: Video,
  dir: string,
  attempt: JobAttempt,
  context: ProbeJobContext,
): Promise<void> {
  const { storage } = context;
  const local = await materializeSource(video.source, {
    storage,
    dir,
    allowPrivateSourceUrls: context.allowPrivateSourceUrls,
    maxSourceBytes: context.maxSourceBytes,
    signal: attempt.signal,
  });
  await refuseTextSource(local.path);
  const probe = await probeSource(context, local.path, attempt.signal);
  assertWithinLimits(probe, context.limits);
  let source = video.source;
  let sizeBytes = video.size_bytes ?? probe.sizeBytes ?? null;
  if (isUrlSource(video.source)) {
    source = `uploads/${video.user_id}/${video.id}/source${sourceExtension(video.source)}`;
    sizeBytes = (await storage.put(source, { filePath: local.path })).size;
  }
  await video.update({
    status: 'completed',
    source,
    duration_seconds: probe.durationSeconds,
    width: probe.video.width,
    height: probe.video.height,
    fps: Math.round(probe.video.frameRate * 1000) / 1000,
    video_codec: probe.video.codec,
    audio_codec: probe.audio?.codec ?? null,
    rotation: probe.video.rotation,
    size_bytes: sizeBytes,
    error_message: null,
    error_code: null,
  });
}
