import type { MediaProbe } from './media-probe.js';
import type { PlannedFile } from './plan-export.js';

/** Seconds of slack on top of one frame: the audio of a file may end up to one audio frame after its video. */
const AUDIO_FRAME_SLACK = 0.025;

/**
 * What is wrong with a produced file compared with its plan (duration within one frame, picture size,
 * codecs, audio present or not), or an empty list when it is as asked.
 */
export function outputMismatches(
  probe: MediaProbe,
  planned: PlannedFile,
  expected: { videoCodec: string; audioCodec: string; frameRate: number },
): string[] {
  const problems: string[] = [];
  const tolerance = 1 / expected.frameRate + AUDIO_FRAME_SLACK;
  if (Math.abs(probe.durationSeconds - planned.durationSeconds) > tolerance) {
    problems.push(
      `duration ${probe.durationSeconds.toFixed(3)} s instead of ${planned.durationSeconds.toFixed(3)} s`,
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
