import { answersOpaquely, crossPageOrigin } from './cors-probe.js';
import { VexportConnectionError, VexportCorsError, VexportError, VexportTimeoutError } from './errors.js';

/** Supplies the bearer token for each request; may refresh it. */
export type TokenProvider = () => string | Promise<string>;

export interface TransportOptions {
  /** The API's origin and optional path prefix, e.g. `https://api.example.com`. */
  baseUrl: string;
  getToken?: TokenProvider | undefined;
  /** A fetch implementation; the global one by default (browsers, Node 20+). */
  fetch?: typeof fetch | undefined;
  /** Retries of a retryable call after the first attempt. */
  maxRetries?: number | undefined;
  /** Milliseconds one attempt may take before it is abandoned. */
  timeoutMs?: number | undefined;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, QueryValue> | undefined;
  json?: unknown;
  body?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  /**
   * Whether repeating the call is safe, i.e. a repeat does nothing the first did not (reads, PUT, a POST with
   * an idempotency key, an idempotent POST such as cancel, a DELETE whose meaning never depends on state).
   */
  retryable: boolean;
  signal?: AbortSignal | undefined;
  /** Milliseconds for this call instead of the transport's default (0: no limit, for streams). */
  timeoutMs?: number | undefined;
}

const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 8_000;
// a person is watching the call: a longer Retry-After (a rate-limit window) is surfaced at once, not waited out
const MAX_RETRY_AFTER_MS = 10_000;

function backoffMs(attempt: number, retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  const exponential = Math.min(500 * 2 ** attempt, MAX_BACKOFF_MS);
  return exponential * (0.75 + Math.random() * 0.25);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isRetryable(error: unknown): boolean {
  // a refused origin stays refused until the API's configuration changes
  if (error instanceof VexportCorsError) return false;
  if (error instanceof VexportConnectionError || error instanceof VexportTimeoutError) return true;
  if (!(error instanceof VexportError) || !RETRYABLE_STATUSES.has(error.status)) return false;
  return error.retryAfterSeconds === undefined || error.retryAfterSeconds * 1000 <= MAX_RETRY_AFTER_MS;
}

/** HTTP for the client: auth header, JSON, timeouts, typed errors, and retries with jittered backoff. */
export class Transport {
  readonly #baseUrl: string;
  readonly #getToken: TokenProvider | undefined;
  readonly #fetch: typeof fetch;
  readonly #maxRetries: number;
  readonly #timeoutMs: number;

  constructor(options: TransportOptions) {
    if (!options.baseUrl)
      throw new TypeError('createClient: `baseUrl` is required, e.g. "https://api.example.com".');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#getToken = options.getToken;
    const fetchImplementation = options.fetch ?? globalThis.fetch;
    if (typeof fetchImplementation !== 'function') {
      throw new TypeError('createClient: no global fetch here; pass `fetch` in the options.');
    }
    this.#fetch = fetchImplementation.bind(globalThis);
    this.#maxRetries = options.maxRetries ?? 2;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The absolute URL for an API path and query. */
  url(path: string, query?: Record<string, QueryValue>): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) search.set(key, String(value));
    const suffix = search.size > 0 ? `?${search}` : '';
    return `${this.#baseUrl}${path}${suffix}`;
  }

  /** Sends the request (retrying when allowed) and resolves to the successful response. */
  async send(options: RequestOptions): Promise<Response> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#attempt(options);
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (!options.retryable || attempt >= this.#maxRetries || !isRetryable(error)) throw error;
        await sleep(backoffMs(attempt, (error as VexportError).retryAfterSeconds), options.signal);
      }
    }
  }

  /** Sends the request and parses the JSON answer (undefined for 204). */
  async json<T>(options: RequestOptions): Promise<T> {
    const response = await this.send(options);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch (cause) {
      const error = new VexportError(
        'The server sent an answer that is not JSON.',
        response.status,
        'invalid_response',
      );
      error.cause = cause;
      throw error;
    }
  }

  async #attempt({
    method,
    path,
    query,
    json,
    body,
    headers,
    signal,
    timeoutMs,
  }: RequestOptions): Promise<Response> {
    const requestHeaders: Record<string, string> = { accept: 'application/json', ...headers };
    if (this.#getToken) requestHeaders.authorization = `Bearer ${await this.#getToken()}`;
    if (json !== undefined) requestHeaders['content-type'] = 'application/json';
    const limit = timeoutMs ?? this.#timeoutMs;
    const timeout = limit > 0 ? AbortSignal.timeout(limit) : undefined;
    const signals = [signal, timeout].filter((item): item is AbortSignal => item !== undefined);
    const url = this.url(path, query);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: requestHeaders,
        body: json !== undefined ? JSON.stringify(json) : body,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout?.aborted) throw new VexportTimeoutError(limit);
      throw await this.#unreachable(url, error);
    }
    if (!response.ok) throw await VexportError.fromResponse(response);
    return response;
  }

  /** The error for a request that got no answer: a CORS refusal when a cross-origin API does answer. */
  async #unreachable(url: string, cause: unknown): Promise<VexportError> {
    const pageOrigin = crossPageOrigin(url);
    if (pageOrigin !== undefined && (await answersOpaquely(url, this.#fetch))) {
      return new VexportCorsError(pageOrigin, new URL(url).origin, cause);
    }
    return new VexportConnectionError(undefined, cause);
  }
}
