import { fileURLToPath } from 'node:url';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Tests import workspace packages from their sources, so a change needs no rebuild to be tested. */
export const workspaceSourceAliases = {
  '@vexport/sdk': source('./packages/sdk/src/index.ts'),
  '@vexport/db': source('./packages/db/src/index.ts'),
  '@vexport/storage': source('./packages/storage/src/index.ts'),
  '@vexport/queue': source('./packages/queue/src/index.ts'),
};
