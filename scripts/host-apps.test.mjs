// The SDK, the widget and its in-browser add-on in the apps host teams write: `npm pack` of each package, then
// fresh React 19, Vue 3, Svelte 5 and plain-HTML apps (from testing/host-apps/) in a folder outside the
// repository, each installing the tarballs and its framework from the registry, type-checking strictly and
// building. Each built app is then served from an origin of its own and, in Chromium, exports a video through
// the widget against the real API (CORS_ORIGINS naming the apps' origins). `npm run test:host-apps` runs it.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppStack } from './lib/app-stack.mjs';
import { serveStaticSite } from './lib/static-site.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const templates = join(root, 'testing/host-apps');
const APPS = ['react', 'vue', 'svelte', 'html'];
/** The apps that also install the in-browser add-on. */
const WITH_ADD_ON = new Set(['react']);
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const run = promisify(execFile);
/** Runs a command in `cwd`; resolves to its output, rejects with it. */
async function command(file, args, cwd) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, timeout: 540_000 });
    return stdout + stderr;
  } catch (error) {
    throw new Error(
      `${file} ${args.join(' ')} failed in ${cwd}:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  }
}

const npm = (args, cwd) => command('npm', args, cwd);

let scratch;
const tarballs = {};
const appDir = (name) => join(scratch, name);

/** Copies the app's template and installs it with the tarballs; one npm cache serves every app. */
async function installApp(name) {
  // sources only, even where someone tried the template in place
  cpSync(join(templates, name), appDir(name), {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist|dist-ssr|package-lock\.json)$/.test(source),
  });
  const packed = [
    tarballs.sdk,
    tarballs.widget,
    ...(WITH_ADD_ON.has(name) ? [tarballs['widget-ffmpeg']] : []),
  ];
  await npm(['install', ...packed, '--prefer-offline', '--no-audit', '--no-fund'], appDir(name));
}

/** Seconds since `began`, for the log. */
const since = (began) => `${((Date.now() - began) / 1000).toFixed(1)} s`;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vexport-host-apps-'));
  let began = Date.now();
  for (const name of ['sdk', 'widget', 'widget-ffmpeg']) {
    const folder = join(root, 'packages', name);
    if (!existsSync(join(folder, 'dist'))) throw new Error(`packages/${name} is not built (npm run build)`);
    const [result] = JSON.parse(await npm(['pack', '--json', '--pack-destination', scratch], folder));
    tarballs[name] = join(scratch, result.filename);
  }
  console.log(`packed in ${since(began)}`);
  began = Date.now();
  await Promise.all(APPS.map(installApp));
  console.log(`installed ${APPS.length} apps in ${since(began)}`);
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('host apps installed from the tarballs', () => {
  it.each(APPS)(
    'the %s app type-checks strictly and builds',
    async (name) => {
      const began = Date.now();
      await npm(['run', 'typecheck'], appDir(name));
      await npm(['run', 'build'], appDir(name));
      console.log(`${name}: type-checked and built in ${since(began)}`);
      expect(existsSync(join(appDir(name), 'dist/index.html'))).toBe(true);
    },
    300_000,
  );

  /** The output of a type check expected to fail; fails the test when it passes. */
  async function failingCheck(name, file, args) {
    const bin = join(appDir(name), 'node_modules', file);
    return command(process.execPath, [bin, ...args], appDir(name)).then(
      () => expect.fail(`${name}: type-errors/ type-checked`),
      (error) => error.message,
    );
  }

  it('in React, a mis-cased event prop and a wrong event detail are type errors', async () => {
    const output = await failingCheck('react', 'typescript/bin/tsc', ['-p', 'tsconfig.type-errors.json']);
    expect(output).toMatch(
      /Property 'onExportCreated' does not exist on type 'VexportReactProps<"export-modal">'/,
    );
    expect(output).toMatch(/Property 'settings' does not exist on type 'ExportCreatedDetail'/);
  }, 120_000);

  it('in Svelte, a mis-cased event attribute is a type error', async () => {
    const output = await failingCheck('svelte', 'svelte-check/bin/svelte-check', [
      '--tsconfig',
      './tsconfig.type-errors.json',
    ]);
    expect(output).toMatch(
      /'"onExportCreated"' does not exist in type 'VexportSvelteAttributes<"export-modal">'/,
    );
  }, 120_000);

  it('the React app renders in Node with react-dom/server, the widget imported without a DOM', async () => {
    const html = await command(process.execPath, ['dist-ssr/ssr.js'], appDir('react'));
    expect(html).toContain('<vexport-provider>');
    expect(html).toContain('<export-modal source="/sample.mp4"></export-modal>');
  }, 60_000);
});

describe('the built apps in Chromium, each on its own origin, against the real API', () => {
  const sites = {};
  /** What the sites send besides their files; the video and configuration are added once the stack runs. */
  const extras = Object.fromEntries(APPS.map((name) => [name, {}]));
  let stack;
  let browser;

  beforeAll(async () => {
    const began = Date.now();
    for (const name of APPS) sites[name] = await serveStaticSite(join(appDir(name), 'dist'), extras[name]);
    const origins = APPS.map((name) => sites[name].origin);
    stack = await startAppStack({ root, servicesEnv: process.env, env: { CORS_ORIGINS: origins.join(',') } });
    const config = join(scratch, 'host-config.json');
    writeFileSync(
      config,
      JSON.stringify({ apiBase: stack.urls.api, token: stack.token, videoId: stack.video.id }),
    );
    for (const name of APPS) {
      extras[name]['/host-config.json'] = config;
      // the page's own copy of the video, which the in-browser add-on exports from
      extras[name]['/sample.mp4'] = join(stack.storageDir, 'shared/sample.mp4');
    }
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    console.log(`stack, sites and Chromium up in ${since(began)}`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    for (const site of Object.values(sites)) await site.stop();
    await stack?.stop();
  });

  /** A new page on the app; `errors` collects what the page threw. */
  async function openApp(name) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(sites[name].origin);
    return { page, errors };
  }

  /** Opens the app's export dialog and picks the cheapest options. */
  async function openDialog(page) {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export video' });
    await dialog.getByRole('radio', { name: /720p/ }).check();
    await dialog.getByRole('radio', { name: /Low/ }).check();
    await dialog.getByRole('radio', { name: /MP4/ }).check();
    return dialog;
  }

  /** The app's own list of what it heard from the widget's events. */
  const heard = (page) => page.locator('ul[role=status]');

  it.each(APPS)(
    'the %s app exports through the widget, which shows it completed, and hears export-completed',
    async (name) => {
      expect(sites[name].origin).not.toBe(new URL(stack.urls.api).origin);
      const { page, errors } = await openApp(name);
      try {
        const dialog = await openDialog(page);
        await dialog.getByRole('button', { name: 'Export', exact: true }).click();
        const progress = page.locator('export-progress');
        await progress.getByRole('button', { name: 'Download' }).waitFor({ timeout: 120_000 });
        await progress.locator('[part=stage]', { hasText: 'Completed' }).waitFor();
        await heard(page)
          .getByText(/^Export completed: [0-9a-f-]{36}$/)
          .waitFor();
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
    180_000,
  );

  it('the React app exports a short clip in the browser with @vexport/widget-ffmpeg', async () => {
    const { page, errors } = await openApp('react');
    try {
      const dialog = await openDialog(page);
      await dialog.getByRole('button', { name: 'Export in this browser' }).click();
      const result = heard(page).getByText(/^Exported in this browser: /);
      await result.waitFor({ timeout: 180_000 });
      const [, fileName, bytes] = (await result.textContent()).match(/: (\S+) \((\d+) bytes\)$/);
      expect(fileName).toMatch(/^export-.+\.mp4$/);
      expect(Number(bytes)).toBeGreaterThan(1000);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);
});
