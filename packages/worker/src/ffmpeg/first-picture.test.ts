import { describe, expect, it } from 'vitest';
import { parseFirstPictureTime } from './first-picture.js';

describe('parseFirstPictureTime', () => {
  it('reads the first picture’s time in the stream’s time base', () => {
    // mediabunny--no-initial-keyframe.ts: the first keyframe, 64 frames into the stream
    const framemd5 = [
      '#format: frame checksums',
      '#tb 0: 1001/30000',
      '#media_type 0: video',
      '0,         64,         64,        1,   337920, b2444f5d8aa8bf16bb908508286f4cc5',
    ].join('\n');
    expect(parseFirstPictureTime(framemd5)).toBeCloseTo(2.1355, 4);
  });

  it('has no time when no picture decoded', () => {
    expect(parseFirstPictureTime('#tb 0: 1/30\n#media_type 0: video\n')).toBeUndefined();
  });
});
