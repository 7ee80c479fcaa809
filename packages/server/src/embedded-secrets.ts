import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Secrets that `npm start` generated for the embedded set-up, kept in `.vexport/secrets.json`. */
export interface EmbeddedSecrets {
  jwt_secret: string;
  postgres_password: string;
}

function readSecrets(file: string): EmbeddedSecrets {
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSecrets;
}

/**
 * Reads the secrets `npm start` keeps: in `home/secrets.json` when `home` is set (`VEXPORT_HOME`, as
 * `npm start` reads it), else in `.vexport/secrets.json` in `from` or a parent folder; undefined when there
 * are none.
 */
export function findEmbeddedSecrets(
  from: string = process.cwd(),
  home: string | undefined = process.env.VEXPORT_HOME,
): EmbeddedSecrets | undefined {
  if (home) {
    const file = join(home, 'secrets.json');
    return existsSync(file) ? readSecrets(file) : undefined;
  }
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, '.vexport', 'secrets.json');
    if (existsSync(file)) return readSecrets(file);
    if (dirname(dir) === dir) return undefined;
  }
}
