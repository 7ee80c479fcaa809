// The settings every process of one deployment must share, written where a person starting another worker
// against `npm start`'s services can pass them to Node (`node --env-file=…`).
import { rmSync, writeFileSync } from 'node:fs';

/** What an API or worker must agree on with the others (see the README's configuration section). */
const SHARED_SETTINGS = [
  'DATABASE_URL',
  'REDIS_URL',
  'QUEUE_PREFIX',
  'STORAGE_DIR',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
];

/**
 * Writes the shared settings found in `env` to `path` as `NAME=value` lines, readable by its owner only (the
 * database URL holds its password); resolves to a function that removes the file again.
 */
export function writeServicesEnv(path, env) {
  const lines = SHARED_SETTINGS.filter((name) => env[name] !== undefined).map(
    (name) => `${name}=${env[name]}`,
  );
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return () => rmSync(path, { force: true });
}
