import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers, from helmet, for the three kinds of answer the API process gives. Every kind allows
 * cross-origin reads of what it serves (Cross-Origin-Resource-Policy): host pages on other origins call the
 * API (CORS decides who) and play signed files in `<video>`.
 */

/** JSON and problem answers: nothing in them may run, load anything or be framed. */
export function apiSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginOpenerPolicy: false,
  });
}

/**
 * Stored files (sources and exports at signed links): whatever bytes a user uploaded, a browser may only play
 * or save them. The sandbox keeps a file opened as a page from running scripts on the API's origin.
 */
export function fileSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], sandbox: [] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginOpenerPolicy: false,
  });
}

/**
 * The demo pages `npm start` serves: their own scripts and styles, ffmpeg.wasm (WebAssembly compiled in the
 * page and a worker), and blob: URLs for previews made in the browser.
 */
export function pageSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'wasm-unsafe-eval'", 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // signed links may point at a bucket or a CDN on another origin
        mediaSrc: ["'self'", 'blob:', 'data:', 'https:', 'http:'],
        connectSrc: ["'self'", 'blob:', 'data:', 'https:', 'http:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}
