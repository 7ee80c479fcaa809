// An open-loop load at a steady rate, for "p99 at N requests/s". autocannon's own rate limit spends each
// connection's budget for the second as fast as it can and then waits for the next second (bursts at full
// speed), and it corrects for coordinated omission with an expected interval of 1 ms whatever the rate,
// which adds made-up slow samples; neither describes a steady N requests a second.
//
// The load generator shares the two cores with the APIs, PostgreSQL and Redis, so it is kept cheap: like
// autocannon, it writes a request prepared once to plain keep-alive sockets and reads only the status line
// and Content-Length of each answer (Node's http client costs several times more CPU per request).
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The value below which `p` percent of an ascending list lie. */
export const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const HEADER_END = Buffer.from('\r\n\r\n');
const SOCKETS_OPENED_AHEAD = 16;

/** The bytes of one HTTP/1.1 request, sent as they are for every request of the run. */
function requestBytes(url, { method, body, headers }) {
  const target = new URL(url);
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const lines = [
    `${method} ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Connection: keep-alive',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...(payload.length > 0 ? [`Content-Length: ${payload.length}`] : []),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]);
}

/** The status and body length of a response head, or undefined when the body length is not given. */
function parseHead(head) {
  const text = head.toString('latin1');
  const status = Number(text.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
  if (length) return { status, bodyLength: Number(length[1]) };
  if (status === 204 || status === 304) return { status, bodyLength: 0 };
  return undefined;
}

/**
 * One keep-alive connection that carries one request at a time. `send` resolves to the answer's status, or
 * to 0 when the connection failed or the answer had no Content-Length (counted as an error).
 */
class Connection {
  #socket;
  #buffered = Buffer.alloc(0);
  #pending;

  constructor(port, host) {
    this.#socket = connect(port, host);
    this.#socket.setNoDelay(true);
    this.#socket.on('data', (chunk) => this.#read(chunk));
    this.#socket.on('error', () => this.#finish(0));
    this.#socket.on('close', () => this.#finish(0));
  }

  get open() {
    return !this.#socket.destroyed;
  }

  send(bytes) {
    return new Promise((resolve) => {
      this.#pending = { resolve, head: undefined };
      this.#socket.write(bytes);
    });
  }

  close() {
    this.#socket.destroy();
  }

  #read(chunk) {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const pending = this.#pending;
    if (!pending) return;
    if (!pending.head) {
      const end = this.#buffered.indexOf(HEADER_END);
      if (end === -1) return;
      pending.head = parseHead(this.#buffered.subarray(0, end));
      if (!pending.head) {
        this.close();
        return;
      }
      this.#buffered = this.#buffered.subarray(end + HEADER_END.length);
    }
    if (this.#buffered.length < pending.head.bodyLength) return;
    this.#buffered = this.#buffered.subarray(pending.head.bodyLength);
    this.#finish(pending.head.status);
  }

  #finish(status) {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve(status);
  }
}

/**
 * Sends `rate` requests a second for `seconds`, one every 1000/rate ms whatever the answers (open loop),
 * each timed from the moment it was due, so queueing in the server or the client counts. A request goes out
 * on an idle connection, or a new one when all are busy. Resolves to the rate reached, p50/p99 latency in ms,
 * the failed requests (closed connections and non-2xx answers: `errors` in all, `failures` by kind) and the
 * p99 of how late the generator itself wrote requests (a part of the latencies that is not the server's).
 */
export async function pacedLoad({ url, method = 'GET', body, headers = {}, rate, seconds }) {
  const { port, hostname } = new URL(url);
  const bytes = requestBytes(url, { method, body, headers });
  const idle = Array.from({ length: SOCKETS_OPENED_AHEAD }, () => new Connection(Number(port), hostname));
  const opened = [...idle];
  const takeConnection = () => {
    while (idle.length > 0) {
      const connection = idle.pop();
      if (connection.open) return connection;
    }
    const connection = new Connection(Number(port), hostname);
    opened.push(connection);
    return connection;
  };
  const interval = 1000 / rate;
  const total = Math.round(rate * seconds);
  const latencies = [];
  const lateness = [];
  const failures = {};
  const pending = [];
  const start = performance.now();
  for (let sent = 0; sent < total;) {
    const now = performance.now();
    // send every request that is due (a late timer catches up), then sleep until the next one
    while (sent < total && start + sent * interval <= now) {
      const due = start + sent * interval;
      lateness.push(performance.now() - due);
      const connection = takeConnection();
      pending.push(
        connection.send(bytes).then((status) => {
          if (status >= 200 && status < 300) latencies.push(performance.now() - due);
          else {
            const kind = status === 0 ? 'connection closed' : `HTTP ${status}`;
            failures[kind] = (failures[kind] ?? 0) + 1;
          }
          if (connection.open) idle.push(connection);
        }),
      );
      sent += 1;
    }
    if (sent < total) await sleep(Math.max(0, start + sent * interval - performance.now()));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  for (const connection of opened) connection.close();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: total / elapsed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    errors: Object.values(failures).reduce((sum, count) => sum + count, 0),
    failures,
    sendLateP99Ms: percentile(
      lateness.sort((a, b) => a - b),
      99,
    ),
  };
}
