#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { signDevelopmentToken } from './auth/dev-token.js';
import { findEmbeddedSecrets } from './embedded-secrets.js';

const USAGE = `Usage: vexport token --user <id> [--expires-in 12h] [--issuer ISS] [--audience AUD]

Prints a development JWT (HS256) for the configured secret: JWT_SECRET, or the one \`npm start\`
keeps in .vexport/secrets.json.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
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
  const token = signDevelopmentToken({
    user: values.user,
    secret,
    expiresIn: values['expires-in'],
    issuer: values.issuer,
    audience: values.audience,
  });
  process.stdout.write(`${token}\n`);
}

main(process.argv.slice(2));
