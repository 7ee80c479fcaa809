import { describe, expect, it } from 'vitest';
import { parseStreamExtents, streamExtentsFromJson } from './stream-extents.js';

describe('streamExtentsFromJson', () => {
  it('reads from one ffprobe JSON run the extents the CSV run gives, priming packets and N/A left out', () => {
    const csv = [
      'stream,0,video',
      'stream,1,audio',
      'packet,0,0.000000,0.033333',
      'packet,1,-0.021333,0.021333',
      'packet,1,0.000000,0.021333',
      'packet,0,0.066667,0.033333',
      'packet,0,0.033333,N/A',
      'packet,1,0.021333,0.021333',
      'packet,0,N/A,0.033333',
    ].join('\n');
    const json = {
      streams: [
        { index: 0, codec_type: 'video', width: 1280 },
        { index: 1, codec_type: 'audio' },
      ],
      packets: [
        { stream_index: 0, pts_time: '0.000000', duration_time: '0.033333' },
        { stream_index: 1, pts_time: '-0.021333', duration_time: '0.021333' },
        { stream_index: 1, pts_time: '0.000000', duration_time: '0.021333' },
        { stream_index: 0, pts_time: '0.066667', duration_time: '0.033333' },
        { stream_index: 0, pts_time: '0.033333' },
        { stream_index: 1, pts_time: '0.021333', duration_time: '0.021333' },
        { stream_index: 0, pts_time: 'N/A', duration_time: '0.033333' },
      ],
      format: { duration: '0.1' },
    };
    const extents = streamExtentsFromJson(json);
    expect(extents).toEqual(parseStreamExtents(csv));
    expect(extents.video).toEqual({ start: 0, end: 0.1 });
    expect(extents.audio).toEqual({ start: 0, end: 0.042666 });
  });

  it('has no extent for a stream the file lacks', () => {
    expect(streamExtentsFromJson({ streams: [{ index: 0, codec_type: 'video' }], packets: [] })).toEqual({
      video: undefined,
      audio: undefined,
    });
  });
});
