#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { DevelopmentTokenError, signDevelopmentToken } from './auth/dev-token.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './auth/token-rules.js';
import { findEmbeddedSecrets } from './embedded-secrets.js';

const USAGE = `Usage: vexport token --user <id> [--expires-in 12h] [--issuer ISS] [--audience AUD]

Prints a development JWT (HS256) for the configured secret: JWT_SECRET, or the one \`npm start\`
keeps in .vexport/secrets.json (in $VEXPORT_HOME when that is set). The lifetime may not exceed the
API's JWT_MAX_LIFETIME_SECONDS (default ${DEFAULT_MAX_TOKEN_LIFETIME_SECONDS}, 24 hours), read from the environment here too.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** The API's maximum token lifetime, as the API reads it from the same environment. */
function maxLifetimeSeconds(): number {
  const setting = process.env.JWT_MAX_LIFETIME_SECONDS;
  if (setting === undefined) return DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const seconds = Number(setting);
  if (!Number.isInteger(seconds) || seconds < 60) {
    fail(`JWT_MAX_LIFETIME_SECONDS=${setting} is not a whole number of seconds of at least 60.`);
  }
  return seconds;
}

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command !== 'token') fail(`Unknown command "${command}".`);
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        user: { type: 'string', short: 'u' },
        'expires-in': { type: 'string', default: '12h' },
        issuer: { type: 'string', default: process.env.JWT_ISSUER },
        audience: { type: 'string', default: process.env.JWT_AUDIENCE },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.user) fail('--user is required.');
  const secret = process.env.JWT_SECRET ?? findEmbeddedSecrets()?.jwt_secret;
  if (!secret) fail('No secret configured: set JWT_SECRET, or run `npm start` once to create one.');
  let token: string;
  try {
    token = signDevelopmentToken({
      user: values.user,
      secret,
      // a bare number means seconds (jsonwebtoken would read a numeric string as milliseconds)
      expiresIn: /^\d+$/.test(values['expires-in']) ? Number(values['expires-in']) : values['expires-in'],
      maxLifetimeSeconds: maxLifetimeSeconds(),
      issuer: values.issuer,
      audience: values.audience,
    });
  } catch (error) {
    if (error instanceof DevelopmentTokenError) fail(error.message);
    throw error;
  }
  process.stdout.write(`${token}\n`);
}

main(process.argv.slice(2));
