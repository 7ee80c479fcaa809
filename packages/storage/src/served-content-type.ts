import { extname } from 'node:path';

/**
 * The only types a stored file is ever served as. Uploads arrive with a name and a type their sender chose: a
 * page uploaded as `clip.html` must never come back as `text/html` from our origin (or the bucket's), where its
 * scripts would run. So the type is chosen from this list by extension, and anything else is a download.
 * The list is the containers a source may be (the worker's `ffmpeg/source-input.ts`) and what exports make.
 */
const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.ts': 'video/mp2t',
  '.m2ts': 'video/mp2t',
  '.mts': 'video/mp2t',
  '.avi': 'video/x-msvideo',
  '.flv': 'video/x-flv',
  '.3gp': 'video/3gpp',
  '.3g2': 'video/3gpp2',
  '.mpg': 'video/mpeg',
  '.mpeg': 'video/mpeg',
  '.zip': 'application/zip',
};

export const DOWNLOAD_CONTENT_TYPE = 'application/octet-stream';

/** A stored file's extension, lower-cased, when it is one we serve as media (".mp4"), else "". */
export function mediaExtension(name: string): string {
  const extension = extname(name).toLowerCase();
  return Object.hasOwn(TYPES_BY_EXTENSION, extension) ? extension : '';
}

/** The Content-Type a stored file is served with: a media or zip type by its extension, else a download. */
export function servedContentType(name: string): string {
  return TYPES_BY_EXTENSION[mediaExtension(name)] ?? DOWNLOAD_CONTENT_TYPE;
}

const MEDIA_TYPE = /^(?:video|audio)\/[a-z0-9][a-z0-9.+-]{0,63}$/;

/** A declared Content-Type kept when it is a plain video, audio or zip type; anything else becomes a download. */
export function allowedContentType(declared: string | undefined): string {
  const type = declared?.split(';')[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPE.test(type) || type === 'application/zip' ? type : DOWNLOAD_CONTENT_TYPE;
}
