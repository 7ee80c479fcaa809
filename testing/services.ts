import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Reads a variable that `npm test` sets for the throwaway services, with a clear message when it is missing. */
export function serviceEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: integration tests need the services that \`npm test\` starts (PostgreSQL, Redis, S3). ` +
        'Run them through `npm test` (add `-- <path>` to pick files).',
    );
  }
  return value;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serviceEnv('VEXPORT_TEST_POSTGRES_ADMIN_URL') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vexport_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = serviceEnv('VEXPORT_TEST_POSTGRES_ADMIN_URL').replace(/\/postgres$/, `/${name}`);
  return {
    url,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A unique prefix for Redis keys written by one test, so parallel test files never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
