import type { ExportType, Format } from './enums.js';

/** What joins the start and the end of a slug too long to keep whole. */
const ELIDED = '--';

/**
 * Shortens a slug to `maxLength` by dropping words from its middle: titles tell themselves apart at both
 * ends ("holiday-in-spain-day-1" and "...-day-2"), so about a third of the length keeps the last words.
 */
function elideMiddle(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  const words = slug.split('-');
  const tail: string[] = [];
  let tailLength = 0;
  for (let at = words.length - 1; at > 0; at--) {
    const next = tailLength + words[at]!.length + (tail.length > 0 ? 1 : 0);
    if (next > Math.floor(maxLength / 3)) break;
    tail.unshift(words[at]!);
    tailLength = next;
  }
  if (tail.length === 0) return slug.slice(0, maxLength).replace(/-+$/, '');
  const room = maxLength - tailLength - ELIDED.length;
  const cut = slug.slice(0, room);
  // whole words only, unless the first word alone is longer than the room
  const head = slug[room] === '-' || !cut.includes('-') ? cut : cut.replace(/-[^-]*$/, '');
  const kept = head.replace(/-+$/, '');
  return kept ? `${kept}${ELIDED}${tail.join('-')}` : slug.slice(0, maxLength).replace(/-+$/, '');
}

/**
 * Lower-case ASCII words joined by dashes, at most `maxLength` characters ("Été à Nice!" → "ete-a-nice"); a
 * longer one keeps its first and last words (see elideMiddle).
 */
export function slugify(text: string, maxLength = 60): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return elideMiddle(slug, maxLength);
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
