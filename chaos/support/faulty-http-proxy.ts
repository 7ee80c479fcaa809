import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the proxy does to one request: pass it on, or answer it with an error itself. */
export type Fault = 'pass' | 'fail';

/**
 * An HTTP proxy on loopback in front of a service (here the S3-compatible server), which can slow every
 * request down and fail the ones a test picks, as a flaky or overloaded object store would.
 */
export class FaultyHttpProxy {
  /** Added before each request is forwarded. */
  delayMs = 0;
  /** Decides each request's fate; the default passes everything. */
  decide: (request: IncomingMessage) => Fault = () => 'pass';
  /** Requests answered with an injected error. */
  failed = 0;

  readonly #server: Server;
  readonly #target: URL;

  private constructor(target: URL) {
    this.#target = target;
    this.#server = createServer((request, response) => {
      void (async () => {
        if (this.delayMs > 0) await sleep(this.delayMs);
        if (this.decide(request) === 'fail') {
          this.failed += 1;
          request.resume();
          response.writeHead(503, { 'content-type': 'application/xml', 'retry-after': '0' });
          response.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>injected</Message></Error>',
          );
          return;
        }
        const upstream = httpRequest(
          {
            host: this.#target.hostname,
            port: this.#target.port,
            method: request.method,
            path: request.url,
            headers: request.headers,
          },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
        );
        upstream.on('error', () => response.destroy());
        request.pipe(upstream);
      })();
    });
  }

  static async start(target: string): Promise<FaultyHttpProxy> {
    const proxy = new FaultyHttpProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
