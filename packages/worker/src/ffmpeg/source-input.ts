/**
 * How ffmpeg and ffprobe may open a source: a local file (URL sources and S3 objects are downloaded into the
 * job folder first, local-disk objects are read in place), in a container that holds its media itself.
 * Playlists and lists (HLS, ffconcat), image sequences and protocols such as `concat:`, `subfile:` or `data:`
 * would make ffmpeg read other files than the upload: other users' uploads or the worker's own disk.
 */

/** The only protocol a source is read through. */
export const SOURCE_PROTOCOLS: readonly string[] = ['file'];

/**
 * The demuxers a source may be opened with, as `ffmpeg -demuxers` names them (a demuxer is allowed when one
 * of its comma-separated names is listed). Each holds its media in the one file and follows no reference to
 * another file; see docs/media-pipeline.md for why each is here and why others are not.
 */
export const SOURCE_DEMUXERS: readonly string[] = [
  // MP4, MOV, M4V, 3GP: phones, cameras, screen recorders, ProRes; external data references are off by
  // default (the demuxer's enable_drefs) and the worker never turns them on
  'mov,mp4,m4a,3gp,3g2,mj2',
  // MKV and WebM: OBS and other recorders, browsers' MediaRecorder
  'matroska,webm',
  // TS, MTS, M2TS: broadcast captures, AVCHD cameras
  'mpegts',
  // AVI: older cameras and editors
  'avi',
  // FLV: older web and streaming recordings
  'flv',
  // MPG, VOB: MPEG-1/2 program streams (DVD, older cameras)
  'mpeg',
];

/**
 * The protocols a presigned URL of our own storage is read through (HTTP over TCP, or HTTPS over TLS), which
 * ffmpeg seeks in with Range requests. Only for URLs this worker minted (see allowMintedSourceUrl): a URL
 * that a user gave is downloaded through the SSRF checks first and read as a file.
 */
const MINTED_URL_PROTOCOLS: readonly string[] = ['http', 'https', 'tcp', 'tls'];

/** URLs this process minted for its own storage's objects, while a job reads them. */
const mintedUrls = new Map<string, number>();

/**
 * Lets ffmpeg and ffprobe read `url`, a presigned GET URL the worker itself made for an object of its own
 * storage, over HTTP(S) (the demuxer allow list still applies). Returns the function that withdraws it.
 */
export function allowMintedSourceUrl(url: string): () => void {
  mintedUrls.set(url, (mintedUrls.get(url) ?? 0) + 1);
  let withdrawn = false;
  return () => {
    if (withdrawn) return;
    withdrawn = true;
    const left = (mintedUrls.get(url) ?? 1) - 1;
    if (left > 0) mintedUrls.set(url, left);
    else mintedUrls.delete(url);
  };
}

/** True while `url` is a presigned URL this process minted and allowed (see allowMintedSourceUrl). */
export function isMintedSourceUrl(url: string): boolean {
  return mintedUrls.has(url);
}

/**
 * How ffmpeg reads a presigned URL: a dropped connection is reopened where it broke, and a read that gets no
 * byte for 30 s fails (ffmpeg's HTTP reader otherwise waits forever), so a stuck piece is retried instead of
 * holding its export until the piece's time limit.
 */
const NETWORK_READ_OPTIONS: readonly string[] = [
  '-reconnect',
  '1',
  '-reconnect_on_network_error',
  '1',
  '-reconnect_delay_max',
  '4',
  '-rw_timeout',
  '30000000',
];

/** The accepted containers, as a person knows them, for messages. */
export const ACCEPTED_CONTAINERS = 'MP4, MOV, MKV, WebM, MPEG-TS, AVI, FLV or MPEG';

/**
 * The arguments that open a source as ffmpeg's (or ffprobe's) next input: the allow lists, then `-i path`.
 * Options that belong to the input (`-ss`, `-t`) go before them.
 */
export function sourceInput(path: string): string[] {
  const minted = mintedUrls.has(path);
  return [
    ...(minted ? NETWORK_READ_OPTIONS : []),
    '-protocol_whitelist',
    (minted ? MINTED_URL_PROTOCOLS : SOURCE_PROTOCOLS).join(','),
    '-format_whitelist',
    SOURCE_DEMUXERS.join(','),
    '-i',
    path,
  ];
}

/** True when ffmpeg's error output says it refused an input for a format or protocol off the allow lists. */
export function refusedByAllowList(stderr: string): boolean {
  return /Format not on whitelist|Protocol '[^']*' not on whitelist/.test(stderr);
}
