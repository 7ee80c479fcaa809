// An open-loop load at a steady rate, for "p99 at N requests/s". autocannon's own rate limit spends each
// connection's budget for the second as fast as it can and then waits for the next second (bursts at full
// speed), and it corrects for coordinated omission with an expected interval of 1 ms whatever the rate,
// which adds made-up slow samples; neither describes a steady N requests a second.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The value below which `p` percent of an ascending list lie. */
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function send(agent, url, { method, body, headers }) {
  return new Promise((resolve) => {
    const req = request(url, { agent, method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode >= 200 && response.statusCode < 300));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/**
 * Sends `rate` requests a second for `seconds`, one every 1000/rate ms whatever the answers (open loop),
 * each timed from the moment it was due, so queueing in the server or the client counts. Resolves to the
 * rate reached, p50/p99 latency in ms and the failed requests (errors and non-2xx answers).
 */
export async function pacedLoad({ url, method = 'GET', body, headers = {}, rate, seconds }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const latencies = [];
  let errors = 0;
  const pending = [];
  const start = performance.now();
  for (let sent = 0; sent < total;) {
    const now = performance.now();
    // send every request that is due (a late timer catches up), then sleep until the next one
    while (sent < total && start + sent * interval <= now) {
      const due = start + sent * interval;
      pending.push(
        send(agent, url, { method, body, headers }).then((ok) => {
          if (ok) latencies.push(performance.now() - due);
          else errors += 1;
        }),
      );
      sent += 1;
    }
    if (sent < total) await sleep(Math.max(0, start + sent * interval - performance.now()));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: total / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors,
  };
}
