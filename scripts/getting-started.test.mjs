// The token snippets of docs/getting-started.md as a host team copies them: each fenced block marked
// `doc-test: <name>` is taken out of the page, run with a secret (node, python3, and php where installed),
// and the token it prints must pass the API's own check (createAuthenticate, with the server's default
// rules), so the page cannot drift from what the server accepts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAuthenticate } from '../packages/server/src/http/authenticate.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(new URL('../docs/getting-started.md', import.meta.url), 'utf8');
// printable, but beyond ASCII and with a slash: what JSON encoders escape differently
const USER = 'user 42 / Zoë ✓';

/** The body of the fenced code block marked `doc-test: <name>`; exactly one must carry the mark. */
function snippet(name) {
  const blocks = [...page.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map(([, body]) => body);
  const marked = blocks.filter((body) => body.includes(`(doc-test: ${name})`));
  if (marked.length !== 1) {
    throw new Error(`docs/getting-started.md has ${marked.length} blocks marked "doc-test: ${name}", not 1`);
  }
  return marked[0];
}

/** Runs a program and returns what it printed, trimmed; its stderr becomes the error when it fails. */
function output(command, args, secret) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, JWT_SECRET: secret, VEXPORT_DOC_USER: USER },
    timeout: 60_000,
  });
  if (result.error)
    throw new Error(`${command} could not be run (${result.error.message}): it is needed here`);
  if (result.status !== 0) throw new Error(`${command} failed:\n${result.stderr}`);
  return result.stdout.trim();
}

const runners = {
  node: (code, secret) =>
    output(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        `${code}\nconsole.log(await vexportToken(process.env.VEXPORT_DOC_USER));`,
      ],
      secret,
    ),
  python: (code, secret) =>
    output('python3', ['-c', `${code}\nprint(vexport_token(os.environ["VEXPORT_DOC_USER"]))`], secret),
  php: (code, secret) =>
    output(
      'php',
      ['-r', `${code.replace(/^<\?php\s*/, '')}\necho vexport_token(getenv('VEXPORT_DOC_USER'));`],
      secret,
    ),
};

/** The user the API's authentication takes `token` for, or the reason it gives for refusing it. */
async function apiVerdict(token, secret) {
  const authenticate = createAuthenticate(
    { secret, algorithms: ['HS256'] },
    { resolve: async (subject) => `id of ${subject}` },
  );
  const request = { headers: { authorization: `Bearer ${token}` } };
  const response = { setHeader: () => undefined };
  const refusal = await new Promise((resolve) => authenticate(request, response, resolve));
  return refusal ? { refused: refusal.detail ?? String(refusal) } : { user: request.auth.externalId };
}

const secret = () => randomBytes(36).toString('base64url');
// the machines that run `npm test` have no PHP today, and the page says its PHP snippet is untested
const hasPhp = spawnSync('php', ['--version']).status === 0;
const CASES = [
  ['node-jsonwebtoken', 'node'],
  ['node-jose', 'node'],
  ['python-stdlib', 'python'],
];

describe('docs/getting-started.md token snippets', () => {
  it.each(hasPhp ? [...CASES, ['php-hash-hmac', 'php']] : CASES)(
    'the %s snippet mints a token the API accepts for the user',
    async (name, language) => {
      const key = secret();
      const token = runners[language](snippet(name), key);
      expect(await apiVerdict(token, key)).toEqual({ user: USER });
    },
  );

  it('a snippet run with another secret is refused, so the check above proves the signature', async () => {
    const token = runners.node(snippet('node-jsonwebtoken'), secret());
    expect(await apiVerdict(token, secret())).toEqual({ refused: 'The token is invalid.' });
  });

  it('every snippet the page marks for testing is one of these cases', () => {
    const marks = [...page.matchAll(/\(doc-test: ([\w-]+)\)/g)].map(([, name]) => name);
    expect(marks.sort()).toEqual([...CASES.map(([name]) => name), 'php-hash-hmac'].sort());
  });
});
