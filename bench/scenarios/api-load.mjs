// Scenario 4: the API under autocannon load, one and two processes (create with the queue, progress,
// list); the SSE soak (1,000 open progress streams across two processes); and scenario 5: the latency from
// the worker's ffmpeg reporting progress to an SSE client seeing it. Runs on the throwaway test services.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { startAppStack } from '../../scripts/lib/app-stack.mjs';
import { startTestServices } from '../../scripts/lib/test-services.mjs';
import { pacedLoad, percentile } from '../lib/paced-load.mjs';

/** The sum of several `{ kind: count }` tallies. */
function sumCounts(tallies) {
  const sum = {};
  for (const tally of tallies)
    for (const [kind, count] of Object.entries(tally)) sum[kind] = (sum[kind] ?? 0) + count;
  return sum;
}

const SECONDS = 10;
const WARM_UP_SECONDS = 3;
const STREAMS = 1_000;

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1),
  };
};

function rssMB(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : undefined;
}

function cannon({ url, method = 'GET', body, token, rate }, duration = SECONDS) {
  return autocannon({
    url,
    method,
    body,
    duration,
    connections: 10,
    ...(rate && { overallRate: rate }),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
}

const figures = (result) => ({
  requestsPerSecond: result.requests.average,
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
});

/**
 * The same load on every API at once; figures per process and the total rate. With a rate, a steady paced
 * load (see paced-load.mjs); without one, autocannon as fast as it goes.
 */
async function acrossProcesses(targets, make) {
  const per = await Promise.all(
    targets.map(async (base) => {
      const options = make(base);
      if (!options.rate) return figures(await cannon(options));
      return pacedLoad({
        url: options.url,
        method: options.method,
        body: options.body,
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        rate: options.rate,
        seconds: SECONDS,
      });
    }),
  );
  return {
    requestsPerSecond: per.reduce((sum, run) => sum + run.requestsPerSecond, 0),
    p50Ms: Math.max(...per.map((run) => run.p50Ms)),
    p99Ms: Math.max(...per.map((run) => run.p99Ms)),
    errors: per.reduce((sum, run) => sum + run.errors, 0),
    ...(per[0].failures !== undefined && { failures: sumCounts(per.map((run) => run.failures)) }),
    ...(per[0].sendLateP99Ms !== undefined && {
      sendLateP99Ms: Math.max(...per.map((run) => run.sendLateP99Ms)),
    }),
    perProcess: per,
  };
}

/** Opens an SSE stream; calls `onEvent(progress, receivedAt)` for each event. */
function openStream(url, token, onEvent) {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      agent: false,
    });
    req.on('response', (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`stream answered ${response.statusCode}`));
        response.resume();
        return;
      }
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        const receivedAt = Date.now();
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (data) onEvent(JSON.parse(data), receivedAt);
        }
      });
      resolve({ close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The export every load request creates: a one-second 720p mp4. */
const EXPORT_BODY = JSON.stringify({
  export_type: 'single',
  resolution: '720p',
  format: 'mp4',
  quality_preset: 'low',
  segment_selections: [{ start_time: 0, end_time: 1 }],
});

/** How many exports the list counts for the token's user (the total of its first page). */
async function exportsOfUser(base, token) {
  const response = await fetch(`${base}/api/exports?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await response.json()).total;
}

async function createExports(base, token, videoId, count) {
  const ids = [];
  for (let started = 0; started < count; started += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - started) }, async () => {
        const response = await fetch(`${base}/api/videos/${videoId}/export`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: EXPORT_BODY,
        });
        if (!response.ok) throw new Error(`create answered ${response.status}`);
        return (await response.json()).id;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

/** 1,000 streams across both APIs, then five rounds of progress published for every export. */
async function soak({ stack, redis, RedisKeys, userId, exportIds }) {
  const apis = Object.values(stack.urls);
  const latencies = [];
  const received = new Map();
  const rssBefore = Object.fromEntries(
    Object.entries(stack.apis).map(([name, api]) => [name, rssMB(api.pid)]),
  );
  let openErrors = 0;
  const streams = [];
  for (let index = 0; index < exportIds.length; index += 50) {
    const opened = await Promise.allSettled(
      exportIds.slice(index, index + 50).map((id, offset) =>
        openStream(
          `${apis[(index + offset) % apis.length]}/api/exports/${id}/events`,
          stack.token,
          (progress, at) => {
            if (progress.updated_at && progress.current_stage === 'processing') {
              latencies.push(at - Date.parse(progress.updated_at));
              received.set(id, (received.get(id) ?? 0) + 1);
            }
          },
        ),
      ),
    );
    for (const result of opened) {
      if (result.status === 'fulfilled') streams.push(result.value);
      else openErrors += 1;
    }
  }
  const rounds = 5;
  for (let round = 1; round <= rounds; round += 1) {
    const pipeline = redis.pipeline();
    for (const id of exportIds) {
      pipeline.publish(
        RedisKeys.exportProgressChannel(id),
        JSON.stringify({
          progress: round * 10,
          status: 'processing',
          current_stage: 'processing',
          estimated_time_remaining: 10,
          elapsed_time: round,
          updated_at: new Date().toISOString(),
          user_id: userId,
        }),
      );
    }
    await pipeline.exec();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const rssAfter = Object.fromEntries(
    Object.entries(stack.apis).map(([name, api]) => [name, rssMB(api.pid)]),
  );
  for (const stream of streams) stream.close();
  return {
    streams: exportIds.length,
    opened: streams.length,
    openErrors,
    deliveries: { expected: exportIds.length * rounds, received: latencies.length },
    streamsMissingAnUpdate: exportIds.filter((id) => (received.get(id) ?? 0) < rounds).length,
    deliveryLatencyMs: summary(latencies),
    apiRssMB: { before: rssBefore, withStreamsOpen: rssAfter },
  };
}

/** Real exports on a real worker: ffmpeg's progress, through Redis and the API, to an SSE client. */
async function progressLatency({ stack }) {
  const latencies = [];
  for (const resolution of ['1080p', '4k']) {
    const response = await fetch(`${stack.urls.api}/api/videos/${stack.video.id}/export`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        export_type: 'single',
        resolution,
        format: 'webm',
        quality_preset: 'medium',
        segment_selections: [{ start_time: 0, end_time: 6 }],
      }),
    });
    const { id } = await response.json();
    await new Promise((resolve, reject) => {
      openStream(`${stack.urls.api2}/api/exports/${id}/events`, stack.token, (progress, at) => {
        if (
          progress.updated_at &&
          progress.status === 'processing' &&
          progress.current_stage === 'processing'
        )
          latencies.push(at - Date.parse(progress.updated_at));
        if (['completed', 'failed', 'cancelled'].includes(progress.status)) resolve();
      }).catch(reject);
    });
  }
  return { updates: latencies.length, latencyMs: summary(latencies) };
}

export async function apiLoad({ root }) {
  const services = await startTestServices();
  const stack = await startAppStack({
    root,
    servicesEnv: services.env,
    apps: { api: '', api2: '' },
    // one user opens every soak stream: the per-user stream cap is lifted for it
    env: { EXPORT_RATE_LIMIT_PER_HOUR: '1000000000', SSE_STREAMS_PER_USER: '100000', LOG_LEVEL: 'error' },
  });
  const redis = new Redis(services.env.REDIS_URL);
  try {
    const { RedisKeys } = await import('../../packages/sdk/dist/index.js');
    // first, while the queue is empty: real exports on the stack's worker
    const latency = await progressLatency({ stack });
    console.log('bench: progress latency', JSON.stringify(latency));
    // then the queue only: no worker encodes while the API is measured
    await stack.workers[0].stop();
    const apis = Object.values(stack.urls);
    const [watchedId] = await createExports(apis[0], stack.token, stack.video.id, 1);
    const watched = await (
      await fetch(`${apis[0]}/api/exports/${watchedId}`, {
        headers: { authorization: `Bearer ${stack.token}` },
      })
    ).json();
    // a live entry, as a worker writes it while encoding: the progress endpoint's fast path
    await redis.set(
      RedisKeys.exportProgress(watchedId),
      JSON.stringify({
        progress: 42,
        status: 'processing',
        current_stage: 'processing',
        estimated_time_remaining: 9,
        elapsed_time: 3,
        updated_at: new Date().toISOString(),
        user_id: watched.user_id,
      }),
    );
    const endpoints = {
      create: (base, rate) => ({
        url: `${base}/api/videos/${stack.video.id}/export`,
        method: 'POST',
        body: EXPORT_BODY,
        token: stack.token,
        rate,
      }),
      progress: (base, rate) => ({
        url: `${base}/api/exports/${watchedId}/progress`,
        token: stack.token,
        rate,
      }),
      list: (base, rate) => ({ url: `${base}/api/exports?limit=20`, token: stack.token, rate }),
    };
    const load = {};
    for (const [name, make] of Object.entries(endpoints)) {
      // unmeasured: every process serves this request for a while first (database connections opened,
      // code compiled), so that the runs measure a warm API, not a cold start
      await Promise.all(apis.map((base) => cannon(make(base), WARM_UP_SECONDS)));
      // the targets: 500/s for create and progress; for a page of the list, p99 under 20 ms at 200/s
      const targetRate = name === 'list' ? 200 : 500;
      load[name] = {
        oneProcessMax: figures(await cannon(make(apis[0]))),
        ...(name === 'list' && {
          oneProcessAt200: await acrossProcesses([apis[0]], (base) => make(base, targetRate)),
        }),
        [`twoProcessesAt${targetRate}`]: await acrossProcesses(apis, (base) =>
          make(base, targetRate / apis.length),
        ),
        twoProcessesMax: await acrossProcesses(apis, (base) => make(base)),
      };
      if (name === 'list') load.list.exportsOfUser = await exportsOfUser(apis[0], stack.token);
      console.log(`bench: api ${name}`, JSON.stringify(load[name]));
    }
    const soakIds = await createExports(apis[0], stack.token, stack.video.id, STREAMS);
    const sse = await soak({ stack, redis, RedisKeys, userId: watched.user_id, exportIds: soakIds });
    console.log('bench: sse soak', JSON.stringify(sse));
    return {
      seconds: SECONDS,
      warmUpSeconds: WARM_UP_SECONDS,
      connections: 10,
      load,
      sseSoak: sse,
      progressLatency: latency,
    };
  } finally {
    redis.disconnect();
    await stack.stop();
    await services.stop();
  }
}
