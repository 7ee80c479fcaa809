import type Queue from 'bee-queue';
import lua from 'bee-queue/lib/lua/index.js';

/** The node-redis client bee-queue runs its commands and Lua scripts on (not in its public types). */
interface CommandClient {
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * bee-queue loads its Lua scripts into Redis once, when it connects, and then calls them by hash. A Redis
 * restart or failover empties the server's script cache, and every later call fails with NOSCRIPT until the
 * process restarts (bee-queue/bee-queue#489). This loads the scripts again each time the queue's command
 * connection comes back. Call it once the queue is ready.
 */
export function keepScriptsLoaded(queue: Queue, onError: (error: Error) => void = () => undefined): void {
  const client = (queue as unknown as { client?: CommandClient }).client;
  if (!client) throw new Error('keepScriptsLoaded: the queue is not connected yet');
  client.on('ready', () => {
    lua.buildCache(client).catch(onError);
  });
}
