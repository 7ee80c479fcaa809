// The SDK, the widget and its in-browser add-on as a host team gets them: `npm pack` of each built package, the
// tarballs checked for what a published package needs, then installed into fresh projects outside the workspace
// (lit and the other dependencies from the registry) and imported in plain Node, as server-side rendering would.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['sdk', 'widget', 'widget-ffmpeg'];
const MIB = 1024 * 1024;
// how the SDK's error class names itself: a bundle that carries its own copy of the class carries this line
const SDK_ERROR_CLASS = /name\s*=\s*["']VexportError["']/;

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 540_000 });

/** Bytes on disk under a folder (apparent sizes, what `npm` calls unpacked). */
function folderBytes(folder) {
  if (!existsSync(folder)) return 0;
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const mib = (bytes) => `${(bytes / MIB).toFixed(1)} MiB`;

/** A fresh npm project in the scratch folder with these tarballs installed. */
function hostApp(name, tarballs) {
  const app = join(scratch, name);
  execFileSync('mkdir', [app]);
  npm(['init', '-y'], app);
  npm(['install', ...tarballs, '--prefer-offline', '--no-audit', '--no-fund'], app);
  return app;
}

/** The @ffmpeg/* packages installed in a project. */
function ffmpegPackages(app) {
  const scope = join(app, 'node_modules/@ffmpeg');
  return existsSync(scope) ? readdirSync(scope) : [];
}

/** Every file path an `exports` map points at (conditions and subpaths flattened). */
function exportTargets(exports) {
  if (typeof exports === 'string') return [exports];
  return Object.values(exports).flatMap(exportTargets);
}

let scratch;
const packed = {};

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'vexport-packages-'));
  for (const name of PACKAGES) {
    const folder = join(root, 'packages', name);
    if (!existsSync(join(folder, 'dist'))) throw new Error(`packages/${name} is not built (npm run build)`);
    const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', scratch], folder));
    packed[name] = {
      tarball: join(scratch, result.filename),
      files: result.files.map((file) => file.path),
      unpackedSize: result.unpackedSize,
      manifest: JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')),
    };
  }
}, 120_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the tarballs', () => {
  it.each(PACKAGES)(
    '%s carries its README, LICENSE, every exported file and its type declarations',
    (name) => {
      const { files, manifest } = packed[name];
      expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
      for (const target of exportTargets(manifest.exports))
        expect(files).toContain(target.replace(/^\.\//, ''));
      for (const [subpath, entry] of Object.entries(manifest.exports)) {
        if (typeof entry === 'object') expect(entry.types, `exports["${subpath}"].types`).toMatch(/\.d\.ts$/);
      }
      // the add-on ships ffmpeg.wasm's cores, which are GPL: its licence says both
      expect(manifest.license).toBe(name === 'widget-ffmpeg' ? 'MIT AND GPL-2.0-or-later' : 'MIT');
      expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${name}` });
    },
  );

  it('the widget takes the SDK, lit and @lit/context as ranged dependencies, and its entry imports them', () => {
    const { manifest } = packed.widget;
    for (const dependency of ['@vexport/sdk', 'lit', '@lit/context']) {
      expect(manifest.dependencies[dependency], dependency).toMatch(/^\^/);
    }
    const entry = readFileSync(join(root, 'packages/widget/dist/vexport-widget.js'), 'utf8');
    expect(entry).toMatch(/from ["']@vexport\/sdk["']/);
    expect(entry).toMatch(/from ["']lit["']/);
    expect(entry).toMatch(/from ["']@lit\/context["']/);
  });

  it('the widget leaves ffmpeg.wasm to the add-on: no @ffmpeg dependency and no copy of the cores', () => {
    const { manifest, files } = packed.widget;
    const declared = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
    expect(declared.filter((name) => name.startsWith('@ffmpeg/'))).toEqual([]);
    expect(files.filter((file) => /ffmpeg-core|\.wasm$/.test(file))).toEqual([]);
  });

  it('the add-on carries both ffmpeg.wasm cores beside its modules, where it looks for them by default', () => {
    const { files, manifest } = packed['widget-ffmpeg'];
    for (const core of [
      'st/ffmpeg-core.js',
      'st/ffmpeg-core.wasm',
      'mt/ffmpeg-core.wasm',
      'mt/ffmpeg-core.worker.js',
    ])
      expect(files).toContain(`dist/ffmpeg/${core}`);
    expect(Object.keys(manifest.dependencies)).toEqual(['@ffmpeg/ffmpeg']);
  });

  it('the widget marks the modules that register its elements as having side effects', () => {
    const { manifest } = packed.widget;
    expect(manifest.sideEffects).toEqual(
      expect.arrayContaining(['./dist/vexport-widget.js', './dist/vexport-widget.standalone.js']),
    );
  });
});

describe('installed into a fresh project outside the workspace', () => {
  let app;

  beforeAll(() => {
    app = hostApp('host-app', [packed.sdk.tarball, packed.widget.tarball]);
    const widgetBytes = folderBytes(join(app, 'node_modules/@vexport/widget'));
    const after = folderBytes(join(app, 'node_modules'));
    console.log(
      `install size: @vexport/widget ${mib(widgetBytes)} unpacked (tarball says ${mib(packed.widget.unpackedSize)}), ` +
        `@vexport/sdk ${mib(packed.sdk.unpackedSize)}; node_modules ${mib(after)}`,
    );
  }, 600_000);

  it('installs the widget in under 1 MiB, and no ffmpeg.wasm package with it', () => {
    expect(folderBytes(join(app, 'node_modules/@vexport/widget'))).toBeLessThan(MIB);
    expect(ffmpegPackages(app)).toEqual([]);
  });

  it('plain Node imports every entry of the widget and the SDK without a DOM', () => {
    const script = `
      const widget = await import('@vexport/widget');
      const standalone = await import('@vexport/widget/standalone');
      const sdk = await import('@vexport/sdk');
      console.log(JSON.stringify({
        widget: typeof widget.ExportModal,
        standalone: typeof standalone.ExportModal,
        sdk: typeof sdk.createClient,
        document: typeof document,
      }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      widget: 'function',
      standalone: 'function',
      sdk: 'function',
      document: 'undefined',
    });
  });

  it('holds one copy of the SDK: the widget bundle does not carry its own VexportError', () => {
    const installed = join(app, 'node_modules/@vexport/widget');
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    const bundles = readdirSync(join(installed, 'dist'), { recursive: true }).filter(
      (file) => file.endsWith('.js') && !file.endsWith('.standalone.js'),
    );
    expect(bundles).toContain('vexport-widget.js');
    for (const file of bundles) {
      expect(readFileSync(join(installed, 'dist', file), 'utf8'), file).not.toMatch(SDK_ERROR_CLASS);
    }
    const sdkError = readFileSync(join(app, 'node_modules/@vexport/sdk/dist/client/errors.js'), 'utf8');
    expect(sdkError).toMatch(SDK_ERROR_CLASS);
  });
});

describe('with the in-browser add-on installed as well', () => {
  let app;

  beforeAll(() => {
    app = hostApp('host-app-ffmpeg', [
      packed.sdk.tarball,
      packed.widget.tarball,
      packed['widget-ffmpeg'].tarball,
    ]);
  }, 600_000);

  it('brings ffmpeg.wasm with the add-on only: @ffmpeg/ffmpeg, the cores inside the add-on', () => {
    expect(ffmpegPackages(app)).toContain('ffmpeg');
    expect(ffmpegPackages(app)).not.toContain('core');
    expect(ffmpegPackages(app)).not.toContain('core-mt');
    expect(existsSync(join(app, 'node_modules/@vexport/widget-ffmpeg/dist/ffmpeg/st/ffmpeg-core.wasm'))).toBe(
      true,
    );
  });

  it('plain Node imports the add-on without a DOM, and the widget then sees it', () => {
    const script = `
      const widget = await import('@vexport/widget');
      const before = widget.hasBrowserFfmpeg();
      const addOn = await import('@vexport/widget-ffmpeg');
      console.log(JSON.stringify({
        before,
        after: widget.hasBrowserFfmpeg(),
        load: typeof addOn.loadBrowserFfmpeg,
        setBasePath: typeof addOn.setFfmpegBasePath,
      }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      before: false,
      after: true,
      load: 'function',
      setBasePath: 'function',
    });
  });
});
