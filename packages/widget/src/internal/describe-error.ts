import type { Strings } from '../i18n/strings.js';

/** What the elements show for a failed call: a stable `code` for hosts and tests, and a text for people. */
export interface DescribedError {
  code: string;
  message: string;
}

/** The fields of the SDK's VexportError the widget reads. */
interface ClientErrorFields {
  code: string;
  status: number;
  message: string;
  retryAfterSeconds?: number | undefined;
}

/**
 * Read by shape, not `instanceof`: a host's bundle may hold another copy of the SDK, whose error class is not
 * the one this module imports.
 */
function clientErrorFields(error: unknown): ClientErrorFields | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<Record<keyof ClientErrorFields, unknown>>;
  if (typeof candidate.code !== 'string' || typeof candidate.status !== 'number') return undefined;
  return {
    code: candidate.code,
    status: candidate.status,
    message: typeof candidate.message === 'string' ? candidate.message : '',
    retryAfterSeconds:
      typeof candidate.retryAfterSeconds === 'number' ? candidate.retryAfterSeconds : undefined,
  };
}

/** The code for a status when the answer carried none of its own that the texts know. */
function codeForStatus(status: number): string | undefined {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'internal_error';
  return undefined;
}

/**
 * The code and text for `error`: the server's problem code or the client's (`connection_error`,
 * `cors_refused`, `timeout`), falling back by HTTP status; `fallback` for anything that is not an API error.
 */
export function describeError(error: unknown, text: Strings, fallback = text.failedFallback): DescribedError {
  const fields = clientErrorFields(error);
  if (!fields) return { code: 'unknown', message: fallback };
  const known = text.errors[fields.code] !== undefined;
  const code = known ? fields.code : (codeForStatus(fields.status) ?? fields.code);
  const message = text.errors[code] ?? (fields.message || fallback);
  if (code === 'rate_limited' && fields.retryAfterSeconds !== undefined) {
    return { code, message: `${message} ${text.retryIn(fields.retryAfterSeconds)}` };
  }
  return { code, message };
}
