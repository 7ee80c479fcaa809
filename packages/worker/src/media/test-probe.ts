import type { MediaProbe } from './media-probe.js';

/** A probe of a typical source for planner tests: H.264 High with B-frames, 30 fps, AAC stereo. */
export function testProbe({
  width,
  height,
  durationSeconds,
  videoBitRate = 1,
}: {
  width: number;
  height: number;
  durationSeconds: number;
  videoBitRate?: number;
}): MediaProbe {
  return {
    formatName: 'mov,mp4',
    startTime: 0,
    durationSeconds,
    sizeBytes: 1,
    bitRate: 1,
    video: {
      index: 0,
      codec: 'h264',
      profile: 'High',
      width,
      height,
      sampleAspectRatio: 1,
      pixelFormat: 'yuv420p',
      frameRate: 30,
      variableFrameRate: false,
      timeBase: '1/15360',
      hasBFrames: 2,
      fieldOrder: 'progressive',
      rotation: 0,
      startTime: 0,
      bitRate: videoBitRate,
      listedFrames: durationSeconds * 30,
    },
    audio: { index: 1, codec: 'aac', sampleRate: 48_000, channels: 2, startTime: 0 },
  };
}
