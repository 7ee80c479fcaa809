import {
  ExportCreateRequest,
  ExportListQuery,
  advanceProgress,
  isTerminalExportStatus,
  type ExportProgress,
  type ParsedExportCreateRequest,
} from '@vexport/sdk';
import { Router, type RequestHandler, type Response } from 'express';
import type { OpenStreamLimit } from '../http/open-stream-limit.js';
import { ValidationError } from '../http/problem.js';
import { currentUser } from '../http/request-context.js';
import type { LinkOrigin } from '../http/link-origin.js';
import { parseId, parseRequest } from '../http/validate.js';
import type { ExportService, IdempotencyClaim } from './export-service.js';
import { fingerprintRequest } from './export-service.js';
import { toExportResponse } from './export-serializer.js';
import type { ProgressEventHub } from './progress-event-hub.js';
import { publicProgress, type ProgressStore } from './progress-store.js';

export interface ExportRouteOptions {
  exports: ExportService;
  progress: ProgressStore;
  events: ProgressEventHub;
  /** Applied to export creation only, after idempotent replays are answered (a replay costs nothing). */
  creationLimit: RequestHandler;
  /** Caps the progress streams (SSE) each user holds open at once. */
  streamLimit: OpenStreamLimit;
  /** Where the download links point (see createLinkOrigin). */
  linkOrigin: LinkOrigin;
  heartbeatMs?: number;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

interface PendingCreate {
  request: ParsedExportCreateRequest;
  claim: IdempotencyClaim | undefined;
}

function readIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new ValidationError([
      { path: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  return header;
}

/**
 * Export creation, reading, listing, live progress (JSON and SSE), download links, cancel and delete; mounted
 * at `/api`.
 */
export function exportRoutes({
  exports,
  progress,
  events,
  creationLimit,
  streamLimit,
  linkOrigin,
  heartbeatMs = 15_000,
}: ExportRouteOptions): Router {
  const router = Router();

  const answerReplay: RequestHandler = async (request, response, next) => {
    const videoId = parseId(request.params.videoId, 'video');
    const body = parseRequest(ExportCreateRequest, request.body);
    const key = readIdempotencyKey(request.get('idempotency-key'));
    const claim = key ? { key, fingerprint: fingerprintRequest(videoId, body) } : undefined;
    const replay = claim ? await exports.findReplay(currentUser(request).userId, claim) : undefined;
    if (replay) {
      response.status(202).set('Idempotent-Replayed', 'true').json(toExportResponse(replay));
      return;
    }
    response.locals.pendingCreate = { request: body, claim } satisfies PendingCreate;
    next();
  };

  router.post('/videos/:videoId/export', answerReplay, creationLimit, async (request, response) => {
    const { request: body, claim } = response.locals.pendingCreate as PendingCreate;
    const videoId = parseId(request.params.videoId, 'video');
    const { record, created } = await exports.create(currentUser(request).userId, videoId, body, claim);
    if (!created) response.set('Idempotent-Replayed', 'true');
    response.status(202).location(`/api/exports/${record.id}`).json(toExportResponse(record));
  });

  router.get('/videos/:videoId/exports', async (request, response) => {
    const query = parseRequest(ExportListQuery, request.query, 'query');
    const videoId = parseId(request.params.videoId, 'video');
    response.json(await exports.list(currentUser(request).userId, query, videoId));
  });

  router.get('/exports', async (request, response) => {
    const query = parseRequest(ExportListQuery, request.query, 'query');
    response.json(await exports.list(currentUser(request).userId, query));
  });

  router.get('/exports/:exportId', async (request, response) => {
    const record = await exports.get(currentUser(request).userId, parseId(request.params.exportId, 'export'));
    response.json(toExportResponse(record));
  });

  router.get('/exports/:exportId/progress', async (request, response) => {
    const current = await progress.read(
      currentUser(request).userId,
      parseId(request.params.exportId, 'export'),
    );
    response.set('Cache-Control', 'no-store').json(current);
  });

  router.get('/exports/:exportId/events', async (request, response) => {
    const { userId } = currentUser(request);
    const exportId = parseId(request.params.exportId, 'export');
    await streamLimit.acquire(userId, response);
    const pending: ExportProgress[] = [];
    let send: (update: ExportProgress) => void = (update) => pending.push(update);
    const unsubscribe = await events.subscribe(exportId, (update) => {
      if (update.user_id === userId) send(publicProgress(update));
    });
    let initial: ExportProgress;
    try {
      initial = await progress.read(userId, exportId);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    let untrack = () => false;
    streamProgress(response, [initial, ...pending], (listener) => (send = listener), {
      heartbeatMs,
      onClose: () => {
        unsubscribe();
        untrack();
      },
    });
    if (!response.writableEnded) untrack = events.trackStream(() => response.end());
  });

  router.get('/exports/:exportId/download', async (request, response) => {
    const download = await exports.createDownload(
      currentUser(request).userId,
      parseId(request.params.exportId, 'export'),
      linkOrigin(request),
    );
    response.set('Cache-Control', 'no-store').json(download);
  });

  router.post('/exports/:exportId/cancel', async (request, response) => {
    const cancelled = await exports.cancel(
      currentUser(request).userId,
      parseId(request.params.exportId, 'export'),
    );
    response.json(toExportResponse(cancelled));
  });

  router.delete('/exports/:exportId', async (request, response) => {
    const cancelled = await exports.cancelOrDelete(
      currentUser(request).userId,
      parseId(request.params.exportId, 'export'),
    );
    if (cancelled) response.json(toExportResponse(cancelled));
    else response.status(204).end();
  });

  return router;
}

/**
 * Writes progress as Server-Sent Events (`event: progress`) until a terminal status, with comment heartbeats
 * so proxies keep the connection; `listen` receives the function that sends later updates. An update that
 * would step back from what the stream already showed is left out.
 */
function streamProgress(
  response: Response,
  initial: ExportProgress[],
  listen: (send: (update: ExportProgress) => void) => void,
  { heartbeatMs, onClose }: { heartbeatMs: number; onClose: () => void },
): void {
  response.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    onClose();
    response.end();
  };
  response.on('close', end);
  // the initial read and the messages that came in while it ran can arrive in either order: only forward
  let shown: ExportProgress | undefined;
  const send = (update: ExportProgress) => {
    const next = ended ? undefined : advanceProgress(shown, update);
    if (!next) return;
    shown = next;
    response.write(`event: progress\ndata: ${JSON.stringify(next)}\n\n`);
    if (isTerminalExportStatus(next.status)) end();
  };
  response.write('retry: 2000\n\n');
  for (const update of initial) send(update);
  listen(send);
}
