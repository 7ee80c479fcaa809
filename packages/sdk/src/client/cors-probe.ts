/** How long the probe may take before the API counts as unreachable. */
const PROBE_TIMEOUT_MS = 5_000;

/** This page's origin when the code runs in a browser page whose origin differs from `url`'s; else undefined. */
export function crossPageOrigin(url: string): string | undefined {
  const pageOrigin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  if (typeof pageOrigin !== 'string' || pageOrigin === 'null') return undefined;
  const target = new URL(url, pageOrigin).origin;
  return target === pageOrigin ? undefined : pageOrigin;
}

/**
 * Whether the API at `url` answers at all. A browser hides a CORS refusal behind the same TypeError as a
 * network failure; a `no-cors` request gets an opaque answer that CORS does not block, so it succeeding
 * tells the two apart.
 */
export async function answersOpaquely(url: string, fetchImplementation: typeof fetch): Promise<boolean> {
  const navigatorState = (globalThis as { navigator?: { onLine?: unknown } }).navigator;
  if (navigatorState?.onLine === false) return false;
  try {
    await fetchImplementation(url, {
      mode: 'no-cors',
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return true;
  } catch {
    return false;
  }
}
