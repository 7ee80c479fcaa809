import type { ExportType, Format, QualityPreset, Resolution } from '@vexport/sdk';
import type { Strings } from '../i18n/strings.js';

/** "1:05" or "1:02:05" for a number of seconds. */
export function formatDuration(totalSeconds: number): string {
  const whole = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const seconds = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
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
