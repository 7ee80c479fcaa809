import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Separate machines on one: each "host" is a Linux network namespace joined to the root namespace by a veth
 * pair on a bridge of its own subnet. A process started in a host reaches only the bridge's address: not
 * the root namespace's loopback, where the test services listen, nor the other hosts' loopbacks. The
 * services it needs are reached through relays listening on the bridge's address, so what a process in a
 * host shares with the others is exactly what separate machines would share: the network services.
 * Needs root (CAP_NET_ADMIN) and the `ip` tool, as the project's test machines have.
 */
export class HostNetwork {
  readonly bridgeAddress: string;
  readonly hosts: readonly string[];
  readonly #bridge: string;
  readonly #relays: Server[] = [];
  /** `host:port` of a root namespace service → `host:port` of its relay. */
  readonly #relayed = new Map<string, string>();
  readonly #sockets = new Set<Socket>();

  private constructor(tag: string, subnet: number, hostCount: number) {
    this.#bridge = `vxbr${tag}`;
    this.bridgeAddress = `10.213.${subnet}.1`;
    this.hosts = Array.from({ length: hostCount }, (_, index) => `vexport-${tag}-${index + 1}`);
  }

  /** Creates the bridge and `hostCount` namespaces, each with its address on the bridge's subnet. */
  static create(hostCount: number): HostNetwork {
    const tag = randomBytes(3).toString('hex');
    const network = new HostNetwork(tag, 1 + (parseInt(tag, 16) % 250), hostCount);
    try {
      network.#setUp();
    } catch (error) {
      network.#tearDown();
      throw new Error(
        `could not create network namespaces (the multi-host tests need root and the ip tool): ${(error as Error).message}`,
      );
    }
    return network;
  }

  #setUp(): void {
    const subnet = this.bridgeAddress.replace(/\.1$/, '');
    ip('link', 'add', this.#bridge, 'type', 'bridge');
    ip('addr', 'add', `${this.bridgeAddress}/24`, 'dev', this.#bridge);
    ip('link', 'set', this.#bridge, 'up');
    this.hosts.forEach((host, index) => {
      const outside = `${this.#bridge}h${index + 1}`;
      ip('netns', 'add', host);
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host);
      ip('link', 'set', outside, 'master', this.#bridge);
      ip('link', 'set', outside, 'up');
      ip('-n', host, 'addr', 'add', `${subnet}.${index + 10}/24`, 'dev', 'eth0');
      ip('-n', host, 'link', 'set', 'eth0', 'up');
      ip('-n', host, 'link', 'set', 'lo', 'up');
    });
  }

  /**
   * Starts a relay on the bridge's address to the service that `url` (an `http://`, `redis://` or
   * `postgres://` URL on loopback) points at; `reachable` then gives that service's URLs as the hosts reach
   * them.
   */
  async relay(url: string): Promise<void> {
    const target = new URL(url);
    if (this.#relayed.has(target.host)) return;
    const server = createServer((incoming) => {
      const outgoing = connect({ host: target.hostname, port: Number(target.port) });
      for (const socket of [incoming, outgoing]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      incoming.pipe(outgoing).pipe(incoming);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.bridgeAddress, () => resolve());
    });
    this.#relays.push(server);
    const { port } = server.address() as { port: number };
    this.#relayed.set(target.host, `${this.bridgeAddress}:${port}`);
  }

  /** `url` as a host reaches it: through the relay of its service (which `relay` must have started). */
  reachable(url: string): string {
    const { host } = new URL(url);
    const relayed = this.#relayed.get(host);
    if (!relayed) throw new Error(`no relay to ${host}`);
    return url.replace(host, relayed);
  }

  /**
   * The command line that runs `command args` inside `host` with `env` (given on top of the caller's
   * environment; a variable set to undefined is removed).
   */
  command(
    host: string,
    command: string,
    args: readonly string[],
    env: Record<string, string | undefined>,
  ): [string, string[]] {
    const entries = Object.entries(env);
    // env takes its removals before its assignments
    const removed = entries.filter(([, value]) => value === undefined).flatMap(([name]) => ['-u', name]);
    const assigned = entries
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`);
    return ['ip', ['netns', 'exec', host, 'env', ...removed, ...assigned, command, ...args]];
  }

  /** Stops the relays and removes the namespaces and the bridge (their veth pairs go with them). */
  async destroy(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(this.#relays.map((server) => new Promise((resolve) => server.close(resolve))));
    this.#tearDown();
  }

  #tearDown(): void {
    for (const host of this.hosts) quietly(() => ip('netns', 'delete', host));
    quietly(() => ip('link', 'delete', this.#bridge));
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function quietly(run: () => void): void {
  try {
    run();
  } catch {
    // already gone
  }
}
