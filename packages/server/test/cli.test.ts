import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const secret = 'cli-test-secret-with-at-least-32-characters';
const emptyDir = mkdtempSync(join(tmpdir(), 'vexport-cli-'));

afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

describe('vexport token (built CLI)', () => {
  it('prints a token for the user signed with JWT_SECRET', async () => {
    const { stdout } = await run(process.execPath, [cli, 'token', '--user', 'alice', '--expires-in', '5m'], {
      env: { PATH: process.env.PATH, JWT_SECRET: secret },
    });
    const payload = jwt.verify(stdout.trim(), secret) as jwt.JwtPayload;
    expect(payload.sub).toBe('alice');
    expect(payload.exp! - payload.iat!).toBe(300);
  });

  it('explains what is missing when no secret is configured', async () => {
    const attempt = run(process.execPath, [cli, 'token', '--user', 'alice'], {
      cwd: emptyDir,
      env: { PATH: process.env.PATH },
    });
    await expect(attempt).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/No secret configured/),
    });
  });

  it('refuses an unknown command with the usage', async () => {
    const attempt = run(process.execPath, [cli, 'tokens'], { env: { PATH: process.env.PATH } });
    await expect(attempt).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Usage: vexport token/),
    });
  });
});
