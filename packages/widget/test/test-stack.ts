import { createClient, type VexportClient } from '@vexport/sdk';

/** What the test script started for component tests: a real API, a token and a probed video. */
export interface TestStack {
  apiBase: string;
  /** The same API without CORS_ORIGINS: it refuses the test page's origin. */
  apiWithoutCors: string;
  token: string;
  /** The stack's throwaway signing secret, for tokens of users a test makes up. */
  jwtSecret: string;
  videoId: string;
  videoDuration: number;
  /** Storage key of the sample video, which any test user may register. */
  sharedKey: string;
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

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** An HS256 token for `user`, signed with the stack's secret (what a host app's backend would mint). */
export async function tokenFor(user: string): Promise<string> {
  const encoder = new TextEncoder();
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => base64url(encoder.encode(JSON.stringify(value)));
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: user, iat: now, exp: now + 3600 })}`;
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(testStack().jwtSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(unsigned)));
  return `${unsigned}.${base64url(signature)}`;
}

/** A client for a new user of its own, with the sample video registered and probed for them. */
export async function newUserClient(): Promise<{ client: VexportClient; videoId: string }> {
  const token = await tokenFor(`user-${Math.random().toString(36).slice(2)}`);
  const client = createClient({ baseUrl: testStack().apiBase, token });
  let video = await client.registerVideo({ storage_key: testStack().sharedKey, title: 'Sample' });
  for (let attempt = 0; attempt < 100 && video.status !== 'completed'; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    video = await client.getVideo(video.id);
  }
  if (video.status !== 'completed')
    throw new Error(`the sample video did not finish probing (${video.status})`);
  return { client, videoId: video.id };
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
