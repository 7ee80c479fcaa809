import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('mints a 12-hour token by default, and reads a bare number as seconds', async () => {
    const env = { PATH: process.env.PATH, JWT_SECRET: secret };
    const byDefault = await run(process.execPath, [cli, 'token', '--user', 'alice'], { env });
    const payload = jwt.verify(byDefault.stdout.trim(), secret) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(12 * 3600);
    const seconds = await run(process.execPath, [cli, 'token', '--user', 'alice', '--expires-in', '90'], {
      env,
    });
    const short = jwt.verify(seconds.stdout.trim(), secret) as jwt.JwtPayload;
    expect(short.exp! - short.iat!).toBe(90);
  });

  it('refuses a lifetime longer than the API accepts, unless JWT_MAX_LIFETIME_SECONDS is raised', async () => {
    const args = [cli, 'token', '--user', 'alice', '--expires-in', '30d'];
    const attempt = run(process.execPath, args, { env: { PATH: process.env.PATH, JWT_SECRET: secret } });
    await expect(attempt).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/longer than the API accepts \(JWT_MAX_LIFETIME_SECONDS=86400\)/),
    });
    const raised = await run(process.execPath, args, {
      env: { PATH: process.env.PATH, JWT_SECRET: secret, JWT_MAX_LIFETIME_SECONDS: String(30 * 86_400) },
    });
    const payload = jwt.verify(raised.stdout.trim(), secret) as jwt.JwtPayload;
    expect(payload.exp! - payload.iat!).toBe(30 * 86_400);
  });

  it('refuses a user that is not a printable subject', async () => {
    const attempt = run(process.execPath, [cli, 'token', '--user', 'alice\u0007'], {
      env: { PATH: process.env.PATH, JWT_SECRET: secret },
    });
    await expect(attempt).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/printable/) });
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

  it('reads the secret `npm start` keeps in VEXPORT_HOME when that is set', async () => {
    const home = join(emptyDir, 'elsewhere');
    mkdirSync(home);
    writeFileSync(join(home, 'secrets.json'), JSON.stringify({ jwt_secret: secret, postgres_password: 'x' }));
    const { stdout } = await run(process.execPath, [cli, 'token', '--user', 'alice'], {
      cwd: emptyDir,
      env: { PATH: process.env.PATH, VEXPORT_HOME: home },
    });
    expect((jwt.verify(stdout.trim(), secret) as jwt.JwtPayload).sub).toBe('alice');
  });

  it('refuses an unknown command with the usage', async () => {
    const attempt = run(process.execPath, [cli, 'tokens'], { env: { PATH: process.env.PATH } });
    await expect(attempt).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Usage: vexport token/),
    });
  });
});
