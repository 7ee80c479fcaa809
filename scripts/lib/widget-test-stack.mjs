// A real API and worker for the widget's component tests in Chromium, with a user, a token and a probed
// video ready for them.
import { startAppStack } from './app-stack.mjs';

/** Starts the stack; resolves to the variables the browser tests read, and a `stop()`. */
export async function startWidgetTestStack({ root, servicesEnv }) {
  const stack = await startAppStack({ root, servicesEnv, user: 'widget-tester' });
  return {
    env: {
      VEXPORT_TEST_API: stack.urls.api,
      VEXPORT_TEST_TOKEN: stack.token,
      // throwaway, for tests that sign tokens for users of their own
      VEXPORT_TEST_JWT_SECRET: stack.secret,
      VEXPORT_TEST_VIDEO_ID: stack.video.id,
      VEXPORT_TEST_VIDEO_DURATION: String(stack.video.duration_seconds),
      VEXPORT_TEST_SHARED_KEY: stack.sharedKey,
    },
    stop: stack.stop,
  };
}
