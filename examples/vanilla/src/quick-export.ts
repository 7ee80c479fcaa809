// "Quick export" on a video card: the whole video as one file, from the saved defaults, started at once
// (the Export… button is the way to choose options).
import {
  RESOLUTIONS,
  SHORT_SIDE_PIXELS,
  type ExportCreateRequest,
  type ExportSettings,
  type Resolution,
  type Video,
} from '@vexport/sdk';

/** The saved default resolution, or the largest that does not enlarge the source (720p at least). */
function resolutionFor(video: Video, saved: Resolution): Resolution {
  const shortSide = video.width && video.height ? Math.min(video.width, video.height) : undefined;
  if (shortSide === undefined || SHORT_SIDE_PIXELS[saved] <= shortSide) return saved;
  return (
    RESOLUTIONS.filter((resolution) => SHORT_SIDE_PIXELS[resolution] <= shortSide).at(-1) ?? RESOLUTIONS[0]
  );
}

/** The request of a quick export: the whole video, a single file, the saved format and quality. */
export function quickExportRequest(video: Video, settings: ExportSettings): ExportCreateRequest {
  return {
    export_type: 'single',
    resolution: resolutionFor(video, settings.default_resolution),
    format: settings.default_format,
    quality: settings.default_quality,
    segments: [{ start_time: 0, end_time: video.duration_seconds ?? 0, label: 'Whole video' }],
  };
}
