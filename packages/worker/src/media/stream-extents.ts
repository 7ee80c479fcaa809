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

/** One packet's stream, presentation time and duration (NaN where ffprobe gave none). */
type PacketTiming = readonly [stream: number, pts: number, duration: number];

/**
 * A stream starts at its first packet that is shown (an encoder's priming packets sit before zero and are
 * not) and ends where its last packet does; the extents of the first video and audio stream of `types`.
 */
function extentsOf(types: ReadonlyMap<number, string>, packets: Iterable<PacketTiming>): StreamExtents {
  const extents = new Map<number, StreamExtent>();
  for (const [index, pts, duration] of packets) {
    if (!Number.isFinite(pts)) continue;
    const end = pts + (Number.isFinite(duration) ? duration : 0);
    const start = Math.max(0, pts);
    const extent = extents.get(index);
    if (!extent) extents.set(index, { start, end });
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

/**
 * Reads `ffprobe -show_entries stream=index,codec_type:packet=stream_index,pts_time,duration_time -of csv`
 * output: lines `stream,<index>,<type>` and `packet,<stream>,<pts>,<duration>` (see extentsOf).
 */
export function parseStreamExtents(csv: string): StreamExtents {
  const types = new Map<number, string>();
  const packets: PacketTiming[] = [];
  for (const line of csv.split('\n')) {
    const [kind, ...fields] = line.trim().split(',');
    if (kind === 'stream') {
      const [index, type] = fields;
      if (!types.has(Number(index))) types.set(Number(index), type ?? '');
      continue;
    }
    if (kind !== 'packet') continue;
    const [index, pts, duration] = fields.map(Number);
    packets.push([index!, pts!, duration!]);
  }
  return extentsOf(types, packets);
}

/**
 * The same from ffprobe's JSON with `-show_streams` and `-show_entries packet=stream_index,pts_time,
 * duration_time`, so that one ffprobe run gives both a file's probe and its extents.
 */
export function streamExtentsFromJson(output: unknown): StreamExtents {
  const { streams = [], packets = [] } = output as {
    streams?: { index?: number; codec_type?: string }[];
    packets?: { stream_index?: number; pts_time?: string; duration_time?: string }[];
  };
  const types = new Map<number, string>();
  for (const stream of streams) {
    if (stream.index !== undefined && !types.has(stream.index))
      types.set(stream.index, stream.codec_type ?? '');
  }
  return extentsOf(
    types,
    packets.map((packet) => [
      Number(packet.stream_index),
      Number(packet.pts_time),
      Number(packet.duration_time),
    ]),
  );
}
