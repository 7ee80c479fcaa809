import type { ExportType, Format } from './enums.js';

/** Lower-case ASCII words joined by dashes, at most `maxLength` characters ("Été à Nice!" → "ete-a-nice"). */
export function slugify(text: string, maxLength = 60): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

/** The file extension of an export's download: the format, or `zip` for clips. */
export function exportFileExtension(exportType: ExportType, format: Format): string {
  return exportType === 'clips' ? 'zip' : format;
}

/** A readable, safe file name for an export's download, e.g. `beach-trip-combined-1a2b3c4d.mp4`. */
export function exportFileName(
  videoTitle: string,
  record: { id: string; export_type: ExportType; format: Format },
): string {
  const base = slugify(videoTitle) || 'export';
  return `${base}-${record.export_type}-${record.id.slice(0, 8)}.${exportFileExtension(record.export_type, record.format)}`;
}

/** "00m05s", or "1h02m05s" from an hour on: a time for a file name (whole seconds, rounded down). */
export function fileNameTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  const mmss = `${String(minutes).padStart(2, '0')}m${String(rest).padStart(2, '0')}s`;
  return hours > 0 ? `${hours}h${mmss}` : mmss;
}
