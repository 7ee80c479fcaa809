/**
 * The types the planner's modules share (plan-export, plan-copy, filter-graphs, keyframes,
 * mp4-sample-index): here, so that none of them imports another for its types.
 */

import type {
  ExportSegmentInput,
  ExportType,
  Format,
  Framing,
  FramingFit,
  QualityPreset,
  Resolution,
} from '@vexport/sdk';

/** What the user asked for, in the contract's terms. */
export interface ExportRequest {
  export_type: ExportType;
  resolution: Resolution;
  format: Format;
  quality_preset: QualityPreset;
  segment_selections: ExportSegmentInput[];
  /** The output's shape: the source's own (`original`, the default) or a platform's. */
  framing?: Framing | undefined;
  /** How a reframed picture fills its frame (default `crop`). */
  framing_fit?: FramingFit | undefined;
  /** Integrated loudness to normalise the audio to (EBU R128, LUFS); null or absent leaves it as it is. */
  loudness_lufs?: number | null | undefined;
}

/** One ffmpeg run. `mediaSeconds` is how much output it writes, used to weight progress across steps. */
export interface FfmpegStep {
  label: string;
  args: string[];
  outputPath: string;
  mediaSeconds: number;
  /**
   * True when the step may run beside other steps (the pieces of a cut and their join, a core each); any
   * other step runs alone.
   */
  independent?: boolean;
  /** Files that earlier steps write and this one reads: it starts once they are written. */
  needs?: string[];
  /**
   * Input files the step reads one after another (a join): each may be deleted once the step has opened a
   * later one, so the disk holds about one piece beside the growing output instead of every piece.
   */
  releasesInputs?: string[];
}

/** The part of the source a segment really covers: from its first frame, a whole number of frames long. */
export interface SegmentSpan {
  /** Seconds from the requested start to the segment's first frame. */
  offset: number;
  /** Seconds of media: the segment's frames times the frame duration. */
  duration: number;
}

/** Where one sample (a frame's packet) lies in its file. */
export interface SampleLocation {
  offset: number;
  size: number;
}

/** The video stream's frame timestamps (presentation order) and which of them are keyframes. */
export interface VideoPacketIndex {
  /** Every frame's presentation time in seconds, ascending (unboxed: an hour at 30 fps is 108,000 of them). */
  frameTimes: Float64Array;
  /**
   * The same times in the packets' decode order (the file's), which differs where B-frames are reordered:
   * which frames a run of packets copied from a keyframe shows.
   */
  decodeOrderTimes: Float64Array;
  /** Presentation times of the packets flagged as keyframes, ascending. */
  keyframeTimes: number[];
  /**
   * For H.264 in MP4/MOV, where each keyframe's sample lies, by its time: its NAL units can be read straight
   * from the file (each after a `nalLengthSize`-byte length). Absent when the index came from ffprobe.
   */
  h264Keyframes?: { nalLengthSize: number; samples: ReadonlyMap<number, SampleLocation> };
}
