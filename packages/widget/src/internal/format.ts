import {
  LOUDNESS_TARGETS,
  type ExportType,
  type Format,
  type Framing,
  type FramingFit,
  type QualityPreset,
  type Resolution,
} from '@vexport/sdk';
import type { Strings } from '../i18n/strings.js';

/** "1:05" or "1:02:05" for a number of seconds. */
export function formatDuration(totalSeconds: number): string {
  const whole = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * "40 s", "3 min" or "1 h 5 min": a duration rounded as an estimate deserves (seconds under a minute,
 * whole minutes under an hour).
 */
export function formatApproximateDuration(totalSeconds: number): string {
  const seconds = Math.max(1, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** "12.3 MB" (decimal units, as operating systems show file sizes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const RESOLUTION_LABELS: Record<Resolution, string> = { '720p': '720p', '1080p': '1080p', '4k': '4K' };

/** "720p", "1080p" or "4K": a resolution as every element names it in short. */
export function formatResolution(resolution: Resolution): string {
  return RESOLUTION_LABELS[resolution];
}

/** The options of an export or preset; `export_type` is left out for a preset, which has none. */
export interface ExportOptions {
  export_type?: ExportType;
  resolution: Resolution;
  format: Format;
  quality_preset: QualityPreset;
}

/** "Combined video · 4K · MP4 · High quality": an export's or preset's options, in the elements' labels. */
export function formatExportOptions(text: Strings, options: ExportOptions): string {
  return [
    options.export_type ? text.types[options.export_type] : undefined,
    formatResolution(options.resolution),
    text.formats[options.format],
    text.qualitySummary(text.qualities[options.quality_preset]),
  ]
    .filter((part) => part !== undefined)
    .join(' · ');
}

/** "Original", or "Portrait 9:16 · Fill (crop)": an export's framing in the dialog's labels. */
export function formatFraming(text: Strings, output: { framing: Framing; framing_fit: FramingFit }): string {
  const framing = text.framings[output.framing];
  return output.framing === 'original' ? framing : `${framing} · ${text.framingFits[output.framing_fit]}`;
}

/** "Off", "Social −14 LUFS" for a target the dialog names, else "−18 LUFS". */
export function formatLoudness(text: Strings, lufs: number | null): string {
  if (lufs === null) return text.loudnessOptions.off;
  const named = (Object.keys(LOUDNESS_TARGETS) as (keyof typeof LOUDNESS_TARGETS)[]).find(
    (choice) => LOUDNESS_TARGETS[choice] === lufs,
  );
  return named ? text.loudnessOptions[named] : `${String(lufs).replace('-', '−')} LUFS`;
}
