import { openFileByteSource, type ByteSource } from './byte-source.js';
import type { SampleLocation, VideoPacketIndex } from './plan-types.js';

/**
 * The video packet index of an MP4/MOV file read from its sample tables (moov), as ffprobe would list it,
 * without reading a byte of the media: ffprobe reads every packet, a whole 8 Mbps hour from disk, to print
 * their times. Only the layouts whose timing is plain are read here (one video track timed by stts/ctts,
 * at most one edit that starts the presentation at a sample, no negative composition offsets); for
 * anything else the answer is undefined and the caller asks ffprobe.
 */

interface Box {
  type: string;
  /** The box's payload, after its header. */
  body: Buffer;
}

/**
 * The header of the box that starts `bytes` (its first 8 or 16 bytes): its type, the header's size and the
 * whole box's, where `room` bytes are left in its container (a size of 0 means "to the end"). Undefined when
 * the size does not fit (a damaged or truncated file).
 */
function boxHeader(
  bytes: Buffer,
  room: number,
): { type: string; headerSize: number; boxSize: number } | undefined {
  if (bytes.length < 8) return undefined;
  const type = bytes.toString('latin1', 4, 8);
  let boxSize = bytes.readUInt32BE(0);
  let headerSize = 8;
  if (boxSize === 1) {
    if (bytes.length < 16) return undefined;
    boxSize = Number(bytes.readBigUInt64BE(8));
    headerSize = 16;
  } else if (boxSize === 0) {
    boxSize = room;
  }
  return boxSize < headerSize || boxSize > room ? undefined : { type, headerSize, boxSize };
}

/** The boxes directly inside `data`; undefined when a size does not fit (a damaged or truncated file). */
export function readBoxes(data: Buffer): Box[] | undefined {
  const boxes: Box[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    const header = boxHeader(data.subarray(offset, offset + 16), data.length - offset);
    if (!header) return undefined;
    boxes.push({
      type: header.type,
      body: data.subarray(offset + header.headerSize, offset + header.boxSize),
    });
    offset += header.boxSize;
  }
  return boxes;
}

const child = (boxes: Box[] | undefined, type: string) => boxes?.find((box) => box.type === type)?.body;

/** The timescale of an mvhd or mdhd box (the field sits after 64-bit dates in version 1). */
function timescaleOf(header: Buffer): number | undefined {
  const offset = header[0] === 1 ? 20 : 12;
  return header.length >= offset + 4 ? header.readUInt32BE(offset) : undefined;
}

/** `count` entries of `entrySize` bytes after a full box's version, flags and count; undefined if short. */
function tableEntries(
  body: Buffer,
  entrySize: number,
): { count: number; at: (index: number) => number } | undefined {
  if (body.length < 8) return undefined;
  const count = body.readUInt32BE(4);
  if (body.length < 8 + count * entrySize) return undefined;
  return { count, at: (index) => 8 + index * entrySize };
}

/**
 * Every sample's composition time (decode time from stts plus its ctts offset) and the largest time a
 * sample ends at, in the track's timescale; undefined when the tables disagree on the sample count or
 * time in a way ffmpeg would correct (huge deltas, negative offsets).
 */
function compositionTimes(
  stts: Buffer,
  ctts: Buffer | undefined,
  samples: number,
): { times: Float64Array; lastEnd: number } | undefined {
  const steps = tableEntries(stts, 8);
  const offsets = ctts ? tableEntries(ctts, 8) : undefined;
  if (!steps || (ctts && !offsets)) return undefined;
  const times = new Float64Array(samples);
  let sample = 0;
  let dts = 0;
  let lastEnd = 0;
  let offsetEntry = 0;
  let offsetLeft = 0;
  let offset = 0;
  for (let entry = 0; entry < steps.count && sample < samples; entry += 1) {
    const count = stts.readUInt32BE(steps.at(entry));
    const delta = stts.readUInt32BE(steps.at(entry) + 4);
    if (delta > 0x7fffffff) return undefined;
    for (let index = 0; index < count && sample < samples; index += 1) {
      while (offsets && offsetLeft === 0 && offsetEntry < offsets.count) {
        offsetLeft = ctts!.readUInt32BE(offsets.at(offsetEntry));
        offset = ctts!.readInt32BE(offsets.at(offsetEntry) + 4);
        offsetEntry += 1;
        if (offset < 0) return undefined;
      }
      if (offsetLeft > 0) offsetLeft -= 1;
      else offset = 0;
      times[sample] = dts + offset;
      lastEnd = Math.max(lastEnd, dts + offset + delta);
      dts += delta;
      sample += 1;
    }
  }
  return sample === samples ? { times, lastEnd } : undefined;
}

/** 1-based sample numbers listed by an stss or stps box. */
function sampleNumbers(body: Buffer | undefined): number[] | undefined {
  if (!body) return [];
  const table = tableEntries(body, 4);
  if (!table) return undefined;
  return Array.from({ length: table.count }, (_, index) => body.readUInt32BE(table.at(index)));
}

/**
 * Where each of `wanted` (0-based sample numbers, ascending) lies in the file, from the sample sizes (stsz),
 * the samples per chunk (stsc) and the chunk offsets (stco or co64); undefined when the tables are short or
 * disagree.
 */
function sampleLocations(
  stbl: Box[] | undefined,
  samples: number,
  wanted: readonly number[],
): SampleLocation[] | undefined {
  const stsz = child(stbl, 'stsz');
  const stsc = child(stbl, 'stsc');
  const co64 = child(stbl, 'co64');
  const chunkOffsets = co64 ?? child(stbl, 'stco');
  if (!stsz || !stsc || !chunkOffsets || stsz.length < 12) return undefined;
  const uniformSize = stsz.readUInt32BE(4);
  if (uniformSize === 0 && stsz.length < 12 + samples * 4) return undefined;
  const sizeOf = (sample: number) => uniformSize || stsz.readUInt32BE(12 + sample * 4);
  const runs = tableEntries(stsc, 12);
  const chunks = tableEntries(chunkOffsets, co64 ? 8 : 4);
  if (!runs || !chunks || runs.count === 0) return undefined;
  const chunkOffset = (chunk: number) =>
    co64 ? Number(co64.readBigUInt64BE(chunks.at(chunk))) : chunkOffsets.readUInt32BE(chunks.at(chunk));
  const locations: SampleLocation[] = [];
  let next = 0;
  let sample = 0;
  for (let run = 0; run < runs.count && next < wanted.length; run += 1) {
    const firstChunk = stsc.readUInt32BE(runs.at(run)) - 1;
    const lastChunk = run + 1 < runs.count ? stsc.readUInt32BE(runs.at(run + 1)) - 1 : chunks.count;
    const perChunk = stsc.readUInt32BE(runs.at(run) + 4);
    if (firstChunk < 0 || lastChunk > chunks.count || perChunk === 0) return undefined;
    for (let chunk = firstChunk; chunk < lastChunk && next < wanted.length; chunk += 1) {
      let offset = chunkOffset(chunk);
      for (let inChunk = 0; inChunk < perChunk && sample < samples; inChunk += 1, sample += 1) {
        if (sample === wanted[next]) {
          locations.push({ offset, size: sizeOf(sample) });
          next += 1;
        }
        offset += sizeOf(sample);
      }
    }
  }
  return next === wanted.length ? locations : undefined;
}

/** Bytes of each NAL unit's length prefix, from an H.264 sample entry's avcC box; undefined if not H.264. */
function h264NalLengthSize(stbl: Box[] | undefined): number | undefined {
  const stsd = child(stbl, 'stsd');
  // version, flags and entry count, then the first sample entry
  const entry = stsd && readBoxes(stsd.subarray(8))?.[0];
  if (!entry || !['avc1', 'avc3'].includes(entry.type)) return undefined;
  // a visual sample entry's own fields take 78 bytes before its child boxes
  const avcC = child(readBoxes(entry.body.subarray(78)), 'avcC');
  if (!avcC || avcC.length < 5) return undefined;
  return (avcC[4]! & 0x03) + 1;
}

/** How the edit list maps the media onto the presentation, in the timescales it is written in. */
interface PlainEdit {
  /** Media time (track timescale) at which the presentation starts. */
  mediaTime: number;
  /** How long the media plays (movie timescale); undefined without an edit list. */
  duration?: number;
  /** A leading empty edit: the presentation starts this late (movie timescale). */
  delay: number;
}

/**
 * The edit list when it is plain: none, or one edit of the media at normal rate, after at most one empty
 * edit (a start delay, as ffmpeg writes when the video starts after the audio). Undefined otherwise.
 */
function plainEdit(edts: Buffer | undefined): PlainEdit | undefined {
  const elst = child(edts ? readBoxes(edts) : undefined, 'elst');
  if (!elst) return { mediaTime: 0, delay: 0 };
  const version = elst[0];
  const table = tableEntries(elst, version === 1 ? 20 : 12);
  if (!table || table.count < 1 || table.count > 2) return undefined;
  const entries = Array.from({ length: table.count }, (_, index) => {
    const at = table.at(index);
    return {
      duration: version === 1 ? Number(elst.readBigUInt64BE(at)) : elst.readUInt32BE(at),
      mediaTime: version === 1 ? Number(elst.readBigInt64BE(at + 8)) : elst.readInt32BE(at + 4),
      rate: elst.readInt16BE(at + (version === 1 ? 16 : 8)),
    };
  });
  const media = entries.at(-1)!;
  const empty = entries.length === 2 ? entries[0]! : undefined;
  if (empty && empty.mediaTime !== -1) return undefined;
  if (media.mediaTime < 0 || media.rate !== 1) return undefined;
  return { mediaTime: media.mediaTime, duration: media.duration, delay: empty?.duration ?? 0 };
}

/** av_rescale: a value from one timescale to another, rounded to the nearest (halves away from zero). */
const rescale = (value: number, to: number, from: number) => Math.round((value * to) / from);

/**
 * A timestamp in seconds as ffprobe prints `pts_time` (printf's %f: six decimals, an exact half to even),
 * read back as a number; undefined past the range where the arithmetic is exact.
 */
export function asProbeTime(timestamp: number, timescale: number): number | undefined {
  const scaled = timestamp * 1_000_000;
  if (!Number.isSafeInteger(scaled)) return undefined;
  const whole = Math.floor(scaled / timescale);
  const twiceRemainder = 2 * (scaled - whole * timescale);
  const rounded =
    twiceRemainder > timescale || (twiceRemainder === timescale && whole % 2 === 1) ? whole + 1 : whole;
  return rounded / 1_000_000;
}

/** The index of the first video track of a parsed moov box; undefined when its timing is not plain. */
export function videoPacketIndexFromMoov(moov: Buffer): VideoPacketIndex | undefined {
  const boxes = readBoxes(moov);
  const movieTimescale = timescaleOf(child(boxes, 'mvhd') ?? Buffer.alloc(0));
  // cover art comes first in ffprobe's stream list when its metadata precedes the tracks
  const firstTrack = boxes?.findIndex((box) => box.type === 'trak') ?? -1;
  if (!boxes || !movieTimescale || firstTrack === -1) return undefined;
  if (boxes.slice(0, firstTrack).some((box) => box.type === 'udta' || box.type === 'meta')) return undefined;
  if (boxes.some((box) => box.type === 'mvex')) return undefined; // fragmented: samples live in moof boxes
  for (const trak of boxes.filter((box) => box.type === 'trak')) {
    const trakBoxes = readBoxes(trak.body);
    const mdia = readBoxes(child(trakBoxes, 'mdia') ?? Buffer.alloc(0));
    const handler = child(mdia, 'hdlr');
    if (!handler || handler.toString('latin1', 8, 12) !== 'vide') continue;
    return indexOfTrack(trakBoxes, mdia, movieTimescale);
  }
  return undefined;
}

function indexOfTrack(
  trakBoxes: Box[] | undefined,
  mdia: Box[] | undefined,
  movieTimescale: number,
): VideoPacketIndex | undefined {
  const timescale = timescaleOf(child(mdia, 'mdhd') ?? Buffer.alloc(0));
  const stbl = readBoxes(child(readBoxes(child(mdia, 'minf') ?? Buffer.alloc(0)), 'stbl') ?? Buffer.alloc(0));
  const stts = child(stbl, 'stts');
  const stsz = child(stbl, 'stsz');
  const edit = plainEdit(child(trakBoxes, 'edts'));
  if (!timescale || !stts || !stsz || stsz.length < 12 || !edit) return undefined;
  const samples = stsz.readUInt32BE(8);
  const composition = compositionTimes(stts, child(stbl, 'ctts'), samples);
  const stss = child(stbl, 'stss');
  const syncSamples = sampleNumbers(stss);
  const partialSyncSamples = sampleNumbers(child(stbl, 'stps'));
  // an empty stss makes ffmpeg find the keyframes by parsing the stream
  if (!composition || !syncSamples || !partialSyncSamples || (stss && syncSamples.length === 0))
    return undefined;
  // as ffmpeg's mov demuxer applies the edit list: the media from mediaTime on, after the empty edit; every
  // sample must lie inside the edit (ffmpeg drops or marks those outside it)
  const { times } = composition;
  if (times.some((time) => time < edit.mediaTime)) return undefined;
  if (edit.duration !== undefined && edit.duration > 0) {
    const end = edit.mediaTime + rescale(edit.duration, timescale, movieTimescale);
    if (composition.lastEnd > end) return undefined;
  }
  const shift = rescale(edit.delay, timescale, movieTimescale) - edit.mediaTime;
  const isKey = new Uint8Array(samples);
  if (!stss) isKey.fill(1);
  for (const number of [...syncSamples, ...partialSyncSamples])
    if (number >= 1 && number <= samples) isKey[number - 1] = 1;
  // each sample's time in seconds, written over its time in the timescale once read
  const frameTimes = times;
  const keyframeTimes: number[] = [];
  const keyframeSamples: number[] = [];
  for (let sample = 0; sample < samples; sample += 1) {
    const seconds = asProbeTime(times[sample]! + shift, timescale);
    if (seconds === undefined) return undefined;
    frameTimes[sample] = seconds;
    if (isKey[sample]) {
      keyframeTimes.push(seconds);
      keyframeSamples.push(sample);
    }
  }
  const nalLengthSize = h264NalLengthSize(stbl);
  const locations = nalLengthSize ? sampleLocations(stbl, samples, keyframeSamples) : undefined;
  const h264Keyframes = locations && {
    nalLengthSize: nalLengthSize!,
    samples: new Map(locations.map((location, order) => [keyframeTimes[order]!, location])),
  };
  return {
    // the samples are in decode order
    decodeOrderTimes: frameTimes.slice(),
    frameTimes: frameTimes.sort(),
    keyframeTimes: keyframeTimes.sort((a, b) => a - b),
    ...(h264Keyframes && { h264Keyframes }),
  };
}

/** Largest moov read into memory: an hour at 60 fps needs about 3 MB of sample tables. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

/** Where a box lies in a file: its type, its first byte, its header's size and its whole size. */
interface BoxPlace {
  type: string;
  start: number;
  headerSize: number;
  boxSize: number;
}

/** The boxes directly inside the file's bytes [start, end), read header by header; undefined when damaged. */
async function boxesIn(file: ByteSource, start: number, end: number): Promise<BoxPlace[] | undefined> {
  const header = Buffer.alloc(16);
  const places: BoxPlace[] = [];
  for (let offset = start; offset + 8 <= end;) {
    const bytesRead = await file.read(header, 0, 16, offset);
    const box = boxHeader(header.subarray(0, bytesRead), end - offset);
    if (!box) return undefined;
    places.push({ ...box, start: offset });
    offset += box.boxSize;
  }
  return places;
}

/** Whether a trak box holds a video track (its mdia's hdlr names the handler `vide`). */
async function isVideoTrack(file: ByteSource, trak: BoxPlace): Promise<boolean> {
  const inside = (box: BoxPlace) => boxesIn(file, box.start + box.headerSize, box.start + box.boxSize);
  const mdia = (await inside(trak))?.find((box) => box.type === 'mdia');
  const hdlr = mdia && (await inside(mdia))?.find((box) => box.type === 'hdlr');
  if (!hdlr || hdlr.boxSize < hdlr.headerSize + 12) return false;
  const handler = Buffer.alloc(4);
  await file.read(handler, 0, 4, hdlr.start + hdlr.headerSize + 8);
  return handler.toString('latin1') === 'vide';
}

/**
 * The body of the moov box at `moov` as the index reads it: every box but the tracks that are not video,
 * whose sample tables are most of it (the audio's are larger than the video's in a long file), so only the
 * video's are read into memory. Undefined when a box is damaged or the rest is too large.
 */
async function moovBodyForIndex(file: ByteSource, moov: BoxPlace): Promise<Buffer | undefined> {
  const boxes = await boxesIn(file, moov.start + moov.headerSize, moov.start + moov.boxSize);
  if (!boxes) return undefined;
  const kept: BoxPlace[] = [];
  for (const box of boxes) if (box.type !== 'trak' || (await isVideoTrack(file, box))) kept.push(box);
  const size = kept.reduce((sum, box) => sum + box.boxSize, 0);
  if (size > MAX_MOOV_BYTES) return undefined;
  const body = Buffer.alloc(size);
  let filled = 0;
  for (const box of kept) {
    const bytesRead = await file.read(body, filled, box.boxSize, box.start);
    if (bytesRead !== box.boxSize) return undefined;
    filled += box.boxSize;
  }
  return body;
}

/**
 * Reads the file's top-level boxes to find moov, and its index; undefined when it is not plain MP4/MOV. Only
 * box headers and the video track's tables are read, so `source` may be a file behind an HTTP URL (see
 * openHttpByteSource); a path is opened as a local file.
 */
export async function readMp4VideoPacketIndex(
  source: string | ByteSource,
): Promise<VideoPacketIndex | undefined> {
  if (typeof source !== 'string') return indexFromSource(source);
  const file = await openFileByteSource(source);
  try {
    return await indexFromSource(file);
  } finally {
    await file.close();
  }
}

async function indexFromSource(file: ByteSource): Promise<VideoPacketIndex | undefined> {
  const { size } = file;
  const header = Buffer.alloc(16);
  let offset = 0;
  let first = true;
  while (offset + 8 <= size) {
    const bytesRead = await file.read(header, 0, 16, offset);
    const box = boxHeader(header.subarray(0, bytesRead), size - offset);
    if (!box || box.type === 'moof') return undefined;
    // ISO files start with ftyp; QuickTime files may start with wide, free, skip or mdat
    if (first && !['ftyp', 'wide', 'free', 'skip', 'mdat', 'moov'].includes(box.type)) return undefined;
    first = false;
    if (box.type === 'moov') {
      const body = await moovBodyForIndex(file, { ...box, start: offset });
      return body && videoPacketIndexFromMoov(body);
    }
    offset += box.boxSize;
  }
  return undefined;
}
