import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The embedded set-up's secrets (JWT signing secret, PostgreSQL password), generated on the first start and
 * kept at `path` (mode 0600) so tokens and the database survive restarts.
 */
export function loadOrCreateSecrets(path) {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8'));
  const secrets = {
    jwt_secret: randomBytes(32).toString('base64url'),
    postgres_password: randomBytes(18).toString('base64url'),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
