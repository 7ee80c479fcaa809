// A real API and worker for the widget's component tests in Chromium, with a user, a token and a probed
// video ready for them; and a second API on the same data without CORS_ORIGINS, which refuses the test page's
// origin the way a misconfigured deployment would.
import { join } from 'node:path';
import { startAppStack } from './app-stack.mjs';
import { findFreePort } from './ports.mjs';
import { ManagedProcess, waitFor } from './processes.mjs';

/** Starts an API with the stack's settings but no CORS_ORIGINS; resolves to its process and URL. */
async function startApiWithoutCors(root, stackEnv) {
  const { CORS_ORIGINS: _allowed, ...env } = stackEnv;
  const port = await findFreePort();
  const api = new ManagedProcess(
    'stack-api-no-cors',
    process.execPath,
    [join(root, 'packages/server/dist/main.js')],
    {
      env: { ...env, PORT: String(port) },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${url}/readyz`)).ok, {
      timeoutMs: 30_000,
      message: 'the API without CORS did not start',
    });
  } catch (error) {
    await api.stop({ graceMs: 5_000 });
    throw error;
  }
  return { api, url };
}

/** Starts the stack; resolves to the variables the browser tests read, and a `stop()`. */
export async function startWidgetTestStack({ root, servicesEnv }) {
  const stack = await startAppStack({ root, servicesEnv, user: 'widget-tester' });
  let withoutCors;
  try {
    withoutCors = await startApiWithoutCors(root, stack.env);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return {
    env: {
      VEXPORT_TEST_API: stack.urls.api,
      VEXPORT_TEST_API_WITHOUT_CORS: withoutCors.url,
      VEXPORT_TEST_TOKEN: stack.token,
      // throwaway, for tests that sign tokens for users of their own
      VEXPORT_TEST_JWT_SECRET: stack.secret,
      VEXPORT_TEST_VIDEO_ID: stack.video.id,
      VEXPORT_TEST_VIDEO_DURATION: String(stack.video.duration_seconds),
      VEXPORT_TEST_SHARED_KEY: stack.sharedKey,
    },
    stop: async () => {
      await withoutCors.api.stop({ graceMs: 5_000 }).catch(() => undefined);
      await stack.stop();
    },
  };
}
