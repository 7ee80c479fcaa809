import {
  PROBLEM_CONTENT_TYPE,
  problemTypeUri,
  type Problem,
  type ProblemCode,
  type ProblemFieldError,
} from '@vexport/sdk';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError, type z } from 'zod';
import { unknownFieldErrors } from './unknown-fields.js';

interface AppErrorOptions {
  detail?: string;
  errors?: ProblemFieldError[];
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** An error that the API answers with a problem+json body and a stable `code`. */
export class AppError extends Error {
  override name = 'AppError';
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[] | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly title: string,
    options: AppErrorOptions = {},
  ) {
    super(options.detail ?? title, { cause: options.cause });
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export class NotFoundError extends AppError {
  constructor(detail = 'Nothing exists at this address.') {
    super(404, 'not_found', 'Not found', { detail });
  }
}

export class ValidationError extends AppError {
  constructor(errors: ProblemFieldError[], detail = 'The request has invalid fields.') {
    super(422, 'validation_failed', 'Validation failed', { detail, errors });
  }

  /**
   * One field error per zod issue, with the field's dotted path; one per unknown field, naming the field of
   * `schema` probably meant where one is close.
   */
  static fromZod(error: ZodError, prefix?: string, schema?: z.core.$ZodType): ValidationError {
    const noun = prefix === 'query' ? 'query parameter' : 'field';
    return new ValidationError(
      error.issues
        .flatMap((issue) => unknownFieldErrors(issue, schema, noun) ?? [issue])
        .map(({ path, message }) => ({
          path: [prefix, ...path.map(String)].filter(Boolean).join('.'),
          message,
        })),
    );
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, retryAfterSeconds = 5) {
    super(503, 'service_unavailable', 'Service unavailable', { detail, retryAfterSeconds });
  }
}

/** The problem+json body for an AppError. */
export function toProblem(error: AppError, instance?: string): Problem {
  return {
    type: problemTypeUri(error.code),
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail !== undefined && { detail: error.detail }),
    ...(instance !== undefined && { instance }),
    ...(error.errors !== undefined && { errors: error.errors }),
    ...(error.retryAfterSeconds !== undefined && { retry_after_seconds: error.retryAfterSeconds }),
  };
}

/** Writes an AppError as problem+json. */
export function sendProblem(response: Response, error: AppError, instance?: string): void {
  if (error.retryAfterSeconds !== undefined)
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
  response
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(toProblem(error, instance)));
}

interface HttpParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Maps errors thrown by Express and its body parsers to AppErrors; undefined for anything else. */
function fromHttpError(error: unknown): AppError | undefined {
  if (error instanceof URIError) {
    // the router could not percent-decode a path parameter (e.g. "%ff")
    return new AppError(400, 'validation_failed', 'Bad request', {
      detail: 'The request address contains an invalid percent-encoding.',
    });
  }
  const httpError = error as HttpParserError;
  if (typeof httpError?.status !== 'number' || !httpError.expose) return undefined;
  if (httpError.type === 'entity.parse.failed') {
    return new AppError(400, 'invalid_json', 'Invalid JSON', {
      detail: 'The request body is not valid JSON.',
    });
  }
  if (httpError.type === 'entity.too.large') {
    return new AppError(413, 'payload_too_large', 'Payload too large', {
      detail: 'The request body is too large.',
    });
  }
  if (httpError.type === 'encoding.unsupported' || httpError.type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_media_type', 'Unsupported media type', {
      detail: 'The request body must be UTF-8 JSON.',
    });
  }
  return new AppError(400, 'validation_failed', 'Bad request', { detail: 'The request could not be read.' });
}

/** Answers every route nobody handled with a 404 problem. */
export const notFoundHandler: RequestHandler = (request, _response, next) => {
  next(new NotFoundError(`No route for ${request.method} ${request.path}.`));
};

/**
 * The one place errors become responses: AppErrors as they are, validation and parser errors mapped,
 * anything else as a 500 with no detail (its stack goes to the log, never to the client).
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (error instanceof ZodError) appError = ValidationError.fromZod(error);
    else if (isDependencyOutage(error)) appError = dependencyOutage(error, logger);
    else appError = fromHttpError(error) ?? internalError(error, logger, request.originalUrl);
    sendProblem(response, appError, request.originalUrl);
  };
}

const OUTAGE_ERROR_NAMES = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeHostNotReachableError',
  'SequelizeConnectionAcquireTimeoutError',
  'MaxRetriesPerRequestError',
]);
// LOADING: a restarted Redis still reading its data; NOSCRIPT: its script cache is empty until the queue's
// connection has loaded the scripts again (see @vexport/queue).
const OUTAGE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|Connection is closed|Stream isn't writeable|enableOfflineQueue|^LOADING |^NOSCRIPT /;

/** True for errors that mean PostgreSQL or Redis cannot be reached right now (a 503, not a bug). */
export function isDependencyOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return OUTAGE_ERROR_NAMES.has(error.name) || OUTAGE_MESSAGES.test(error.message);
}

function dependencyOutage(error: unknown, logger: Logger): AppError {
  logger.warn(`dependency unavailable: ${(error as Error).message}`);
  return new ServiceUnavailableError('A service the API depends on is unavailable. Try again shortly.');
}

function internalError(error: unknown, logger: Logger, url: string): AppError {
  logger.error({ err: error, url }, 'unhandled error');
  return new AppError(500, 'internal_error', 'Internal server error', {
    detail: 'Something went wrong on our side. Try again; if it keeps happening, contact the operator.',
  });
}
