// bee-queue's script loader, which its package does not type.
declare module 'bee-queue/lib/lua/index.js' {
  const lua: { buildCache(client: unknown): Promise<unknown> };
  export default lua;
}
