import type { Problem, ProblemCode } from '../contract/problem.js';
import { PROBLEM_CODES } from '../contract/values.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(PROBLEM_CODES);

/** The body as a Problem when it has the fields every problem has and a known code. */
function asProblem(body: unknown): Problem | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as Record<string, unknown>;
  const valid =
    typeof candidate.title === 'string' &&
    typeof candidate.status === 'number' &&
    typeof candidate.code === 'string' &&
    KNOWN_CODES.has(candidate.code);
  return valid ? (candidate as unknown as Problem) : undefined;
}

/**
 * Codes of failures found by the client itself, beside the server's {@link ProblemCode}s: no answer arrived
 * (`cors_refused` when the API answers but the browser hid the answer from this page's origin), the answer
 * was unreadable, or the call needs another environment (`downloadExport` a browser, `saveExport` Node).
 */
export type ClientErrorCode =
  'connection_error' | 'cors_refused' | 'timeout' | 'invalid_response' | 'unsupported_environment';

/**
 * Any failed call. `status` is the HTTP status (0 when no answer arrived), `code` the server's stable problem
 * code or a client-side {@link ClientErrorCode}, and `problem` the full problem+json body when there was one.
 */
export class VexportError extends Error {
  override name = 'VexportError';

  constructor(
    message: string,
    readonly status: number,
    readonly code: ProblemCode | ClientErrorCode,
    readonly problem?: Problem,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Builds the error for a non-2xx response, reading its problem+json body when it has one. */
  static async fromResponse(response: Response): Promise<VexportError> {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const text = await response.text().catch(() => '');
    let problem: Problem | undefined;
    try {
      problem = asProblem(JSON.parse(text));
    } catch {
      // not JSON: a proxy's error page, say
    }
    if (problem) {
      return new VexportError(
        problem.detail ?? problem.title,
        response.status,
        problem.code,
        problem,
        retryAfter,
      );
    }
    const code = response.status >= 500 ? 'internal_error' : 'invalid_response';
    return new VexportError(
      `The server answered ${response.status} ${response.statusText}`.trim(),
      response.status,
      code,
      undefined,
      retryAfter,
    );
  }
}

/** No answer arrived: the network failed or the server could not be reached. */
export class VexportConnectionError extends VexportError {
  override name = 'VexportConnectionError';

  constructor(
    message = 'Could not reach the export service. Check the connection and try again.',
    cause?: unknown,
  ) {
    super(message, 0, 'connection_error');
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * The browser refused this page the API's answer: the API is reachable from here but does not allow this
 * page's origin, so its `CORS_ORIGINS` setting must list the origin.
 */
export class VexportCorsError extends VexportError {
  override name = 'VexportCorsError';

  constructor(
    readonly pageOrigin: string,
    apiOrigin: string,
    cause?: unknown,
  ) {
    super(
      `The API at ${apiOrigin} could not be reached or refused this page's origin (${pageOrigin}): ` +
        `the API must list ${pageOrigin} in CORS_ORIGINS.`,
      0,
      'cors_refused',
    );
    if (cause !== undefined) this.cause = cause;
  }
}

/** No answer arrived within the client's timeout. */
export class VexportTimeoutError extends VexportError {
  override name = 'VexportTimeoutError';

  constructor(timeoutMs: number) {
    super(`The export service did not answer within ${Math.round(timeoutMs / 1000)} s.`, 0, 'timeout');
  }
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
