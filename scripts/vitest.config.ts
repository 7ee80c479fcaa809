import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'scripts',
    include: ['**/*.test.mjs'],
    // installs four apps from the registry and builds them: only `npm run test:host-apps` runs it
    exclude: [...configDefaults.exclude, ...(process.env.VEXPORT_HOST_APPS ? [] : ['host-apps.test.mjs'])],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
