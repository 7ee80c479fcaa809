/** Where a stream's media starts and ends in a file, from its packets' timestamps (seconds). */
export interface StreamExtent {
  start: number;
  end: number;
}

/** The extents of a file's first video and first audio stream. */
export interface StreamExtents {
  video: StreamExtent | undefined;
  audio: StreamExtent | undefined;
}

/**
 * Reads `ffprobe -show_entries stream=index,codec_type:packet=stream_index,pts_time,duration_time -of csv`
 * output: lines `stream,<index>,<type>` and `packet,<stream>,<pts>,<duration>`. A stream starts at its first
 * packet that is shown (an encoder's priming packets sit before zero and are not) and ends where its last
 * packet does.
 */
export function parseStreamExtents(csv: string): StreamExtents {
  const types = new Map<number, string>();
  const extents = new Map<number, StreamExtent>();
  for (const line of csv.split('\n')) {
    const [kind, ...fields] = line.trim().split(',');
    if (kind === 'stream') {
      const [index, type] = fields;
      if (!types.has(Number(index))) types.set(Number(index), type ?? '');
      continue;
    }
    if (kind !== 'packet') continue;
    const [index, pts, duration] = fields.map(Number);
    if (!Number.isFinite(pts)) continue;
    const end = pts! + (Number.isFinite(duration) ? duration! : 0);
    const start = Math.max(0, pts!);
    const extent = extents.get(index!);
    if (!extent) extents.set(index!, { start, end });
    else {
      extent.start = Math.min(extent.start, start);
      extent.end = Math.max(extent.end, end);
    }
  }
  const first = (type: string) => {
    const index = [...types].find(([, kind]) => kind === type)?.[0];
    return index === undefined ? undefined : extents.get(index);
  };
  return { video: first('video'), audio: first('audio') };
}
