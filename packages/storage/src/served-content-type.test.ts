import { describe, expect, it } from 'vitest';
import { allowedContentType, mediaExtension, servedContentType } from './served-content-type.js';

describe('served content types', () => {
  it.each([
    ['exports/u/e/out.mp4', 'video/mp4'],
    ['uploads/u/v/source.MOV', 'video/quicktime'],
    ['exports/u/e/clips.zip', 'application/zip'],
    ['uploads/u/v/source.webm', 'video/webm'],
    ['uploads/u/v/source.html', 'application/octet-stream'],
    ['uploads/u/v/source.svg', 'application/octet-stream'],
    ['uploads/u/v/source.m3u8', 'application/octet-stream'],
    ['uploads/u/v/source', 'application/octet-stream'],
    ['uploads/u/v/source.constructor', 'application/octet-stream'],
  ])('%s is served as %s', (key, type) => {
    expect(servedContentType(key)).toBe(type);
  });

  it('keeps only media extensions', () => {
    expect(mediaExtension('holiday.MP4')).toBe('.mp4');
    expect(mediaExtension('page.html')).toBe('');
    expect(mediaExtension('__proto__')).toBe('');
  });

  it.each([
    ['video/mp4', 'video/mp4'],
    ['Video/QuickTime; charset=x', 'video/quicktime'],
    ['audio/mp4', 'audio/mp4'],
    ['application/zip', 'application/zip'],
    ['text/html', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['video/mp4\r\nX-Evil: 1', 'application/octet-stream'],
    [undefined, 'application/octet-stream'],
  ])('a declared %s is stored as %s', (declared, type) => {
    expect(allowedContentType(declared)).toBe(type);
  });
});
