import { createClient, type Export } from '@vexport/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevelopmentToken } from '../packages/server/src/auth/dev-token.js';
import { expectNothingLost } from './support/nothing-lost.js';
import { startStack, waitFor, type Stack } from './support/stack.js';

const PER_HOUR = 10;
const USERS = ['burst-user-1', 'burst-user-2'];
const REQUESTS_PER_USER = 25;

/**
 * Two API processes and two workers on one Redis and one database: a burst of creations from several
 * users is held to the hourly limit across both APIs, and the exports it lets through never run more at
 * once than the global and per-user limits allow, across both workers.
 */
describe('limits under a burst across two API processes', () => {
  let stack: Stack;
  const tokens: Record<string, string> = {};
  const videos: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack({
      apps: { api: '', api2: '' },
      env: {
        EXPORT_RATE_LIMIT_PER_HOUR: String(PER_HOUR),
        MAX_CONCURRENT_EXPORTS: '2',
        MAX_EXPORTS_PER_USER: '1',
        EXPORT_CONCURRENCY: '2',
      },
    });
    stack.startWorker();
    for (const user of USERS) {
      tokens[user] = signDevelopmentToken({ user, secret: stack.secret, expiresIn: '1h' });
      const client = createClient({ baseUrl: stack.urls.api!, token: tokens[user] });
      const video = await client.registerVideo({ storage_key: 'shared/sample.mp4', title: 'Shared sample' });
      await waitFor(async () => (await client.getVideo(video.id)).status === 'completed', {
        timeoutMs: 30_000,
        message: `${user}'s video was not probed`,
      });
      videos[user] = video.id;
    }
  });
  afterAll(async () => stack?.stop());

  it('lets exactly the hourly limit through per user, 429 for the rest, and runs them within the slot limits', async () => {
    const apis = Object.values(stack.urls);
    const answers = await Promise.all(
      USERS.flatMap((user) =>
        Array.from({ length: REQUESTS_PER_USER }, (_unused, index) =>
          fetch(`${apis[index % apis.length]}/api/videos/${videos[user]}/export`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              export_type: 'single',
              resolution: '720p',
              format: 'mp4',
              quality_preset: 'low',
              segment_selections: [{ start_time: 0, end_time: 0.5 }],
            }),
          }).then(async (response) => ({
            user,
            status: response.status,
            retryAfter: response.headers.get('retry-after'),
          })),
        ),
      ),
    );
    for (const user of USERS) {
      const mine = answers.filter((answer) => answer.user === user);
      expect(mine.filter((answer) => answer.status === 202)).toHaveLength(PER_HOUR);
      const limited = mine.filter((answer) => answer.status === 429);
      expect(limited).toHaveLength(REQUESTS_PER_USER - PER_HOUR);
      for (const answer of limited) expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }

    // watch every export until all are done: never more than 2 running, never 2 of one user
    const clients = USERS.map((user) => createClient({ baseUrl: stack.urls.api2!, token: tokens[user]! }));
    let mostAtOnce = 0;
    let mostOfOneUser = 0;
    await waitFor(
      async () => {
        const lists = await Promise.all(clients.map((client) => client.listExports({ limit: 50 })));
        const running = lists.map(
          (list) => list.exports.filter((item: Export) => item.status === 'processing').length,
        );
        mostAtOnce = Math.max(
          mostAtOnce,
          running.reduce((sum, count) => sum + count, 0),
        );
        mostOfOneUser = Math.max(mostOfOneUser, ...running);
        expect(mostAtOnce).toBeLessThanOrEqual(2);
        expect(mostOfOneUser).toBeLessThanOrEqual(1);
        return lists.every(
          (list) =>
            list.total === PER_HOUR && list.exports.every((item: Export) => item.status === 'completed'),
        );
      },
      { timeoutMs: 180_000, intervalMs: 50, message: 'the burst’s exports did not all complete' },
    );
    // both users' exports ran side by side at some point
    expect(mostAtOnce).toBe(2);
    await expectNothingLost(stack);
  });
});
