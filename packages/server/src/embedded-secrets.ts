import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Secrets that `npm start` generated for the embedded set-up, kept in `.vexport/secrets.json`. */
export interface EmbeddedSecrets {
  jwt_secret: string;
  postgres_password: string;
}

/** Finds `.vexport/secrets.json` in `from` or a parent folder and reads it; undefined when there is none. */
export function findEmbeddedSecrets(from: string = process.cwd()): EmbeddedSecrets | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, '.vexport', 'secrets.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSecrets;
    if (dirname(dir) === dir) return undefined;
  }
}
