import type { MediaProbe } from './media-probe.js';
import type { PlannedFile } from './plan-export.js';
import type { StreamExtent, StreamExtents } from './stream-extents.js';

/** The longest audio frame of the formats (AAC's 1024 samples at 48 kHz): the last one is padded whole. */
const AUDIO_FRAME_SECONDS = 1024 / 48_000;
/** WebM stores timestamps in whole milliseconds, so a length read back can be off by rounding. */
const TIMESTAMP_SLACK_SECONDS = 0.002;

const lasts = (extent: StreamExtent) => extent.end - extent.start;
const describe = (seconds: number) => `${seconds.toFixed(3)} s`;

/**
 * What is wrong with a produced file compared with its plan, or an empty list when it is as asked: each
 * stream's length (video within one frame of the plan, audio within one audio frame), audio and video
 * starting together (within one frame), picture size, codecs, audio present or not. Stream by stream,
 * because the container's duration is the longest stream's and hides a video that stops early.
 */
export function outputMismatches(
  probe: MediaProbe,
  extents: StreamExtents,
  planned: PlannedFile,
  expected: { videoCodec: string; audioCodec: string; frameRate: number },
): string[] {
  const problems: string[] = [];
  const frame = 1 / expected.frameRate + TIMESTAMP_SLACK_SECONDS;
  const { video, audio } = extents;
  if (!video) problems.push('no video packets');
  else if (Math.abs(lasts(video) - planned.durationSeconds) > frame)
    problems.push(`video lasts ${describe(lasts(video))} instead of ${describe(planned.durationSeconds)}`);
  if (planned.hasAudio && audio) {
    if (Math.abs(lasts(audio) - planned.audioSeconds) > AUDIO_FRAME_SECONDS + TIMESTAMP_SLACK_SECONDS)
      problems.push(`audio lasts ${describe(lasts(audio))} instead of ${describe(planned.audioSeconds)}`);
    if (video && Math.abs(audio.start - video.start) > frame)
      problems.push(
        `audio starts ${describe(audio.start)}, video ${describe(video.start)}: more than a frame apart`,
      );
  }
  if (probe.video.width !== planned.width || probe.video.height !== planned.height) {
    problems.push(
      `picture ${probe.video.width}×${probe.video.height} instead of ${planned.width}×${planned.height}`,
    );
  }
  if (probe.video.codec !== expected.videoCodec)
    problems.push(`video codec ${probe.video.codec} instead of ${expected.videoCodec}`);
  if (planned.hasAudio && probe.audio?.codec !== expected.audioCodec) {
    problems.push(`audio codec ${probe.audio?.codec ?? 'none'} instead of ${expected.audioCodec}`);
  }
  if (!planned.hasAudio && probe.audio) problems.push('an audio stream that the source did not have');
  return problems;
}
