import { createClient, type VexportClient } from '@vexport/sdk';

/** What the test script started for component tests: a real API, a token and a probed video. */
export interface TestStack {
  apiBase: string;
  token: string;
  videoId: string;
  videoDuration: number;
}

declare global {
  interface Window {
    __VEXPORT_TEST__?: TestStack;
  }
}

/** The test stack, or an error saying to run the tests through `npm test`. */
export function testStack(): TestStack {
  const stack = window.__VEXPORT_TEST__;
  if (!stack?.apiBase) throw new Error('No test API: run the component tests through `npm test`.');
  return stack;
}

/** A client of the test API for the test user. */
export function testClient(): VexportClient {
  const { apiBase, token } = testStack();
  return createClient({ baseUrl: apiBase, token });
}

/** Resolves with the next `name` event fired on `target`, or rejects after `timeoutMs`. */
export function nextEvent<T extends Event>(
  target: EventTarget,
  name: string,
  timeoutMs = 45_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event within ${timeoutMs} ms`)), timeoutMs);
    target.addEventListener(
      name,
      (event) => {
        clearTimeout(timer);
        resolve(event as T);
      },
      { once: true },
    );
  });
}
