import { fileURLToPath } from 'node:url';

/** Tests import workspace packages from their sources, so a change needs no rebuild to be tested. */
export const workspaceSourceAliases = {
  '@vexport/sdk': fileURLToPath(new URL('./packages/sdk/src/index.ts', import.meta.url)),
};
