import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

// The packages as a user gets them: packed like `pnpm publish` packs them, installed with npm from the tarballs
// into a fresh project (a copy of this folder, outside the workspace), then used from every kind of module,
// type-checked by every resolution, and bundled for Node, browsers and platform-neutral runtimes.
const root = join(__dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const BOUND = 240_000;
let dir: string;
let app: string;

const run = (file: string, args: string[], cwd = app) =>
  execFileSync(file, args, { cwd, encoding: 'utf8', timeout: BOUND, stdio: ['ignore', 'pipe', 'pipe'] });
const json = (out: string): unknown => JSON.parse(out.trim().split('\n').at(-1)!);
const esbuild = (entry: string, outfile: string, ...flags: string[]) =>
  run(bin('esbuild'), [entry, '--bundle', `--outfile=${outfile}`, '--log-level=error', ...flags]);

/** Runs a bundle in a fresh V8 context that has the web platform's timers and nothing of Node's. */
async function inWebContext(file: string): Promise<unknown> {
  const context = { setTimeout, clearTimeout, queueMicrotask, console, AbortController, AbortSignal, DOMException, TextEncoder, crypto: globalThis.crypto, report: undefined as unknown };
  runInNewContext(readFileSync(file, 'utf8'), context, { timeout: 10_000 });
  expect(context).not.toHaveProperty('process');
  return JSON.parse(JSON.stringify(await context.report));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-call-consumer-'));
  app = join(dir, 'app');
  cpSync(__dirname, app, { recursive: true, filter: (path) => !path.endsWith('.test.ts') });
  const tarballs = JSON.parse(run(process.execPath, [join(root, 'scripts', 'pack.mjs'), join(dir, 'packs')], root)) as string[];
  expect(tarballs).toHaveLength(4);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs]);
}, BOUND * 2);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const SCENARIO = { same: true, runs: 2, other: '"1970-01-01T00:00:00.006Z"' };

describe('a consumer project installed from the packed tarballs', () => {
  test('ES modules import every package and subpath; only the public API is exported', () => {
    expect(json(run(process.execPath, ['esm.mjs']))).toEqual({
      scenario: SCENARIO,
      internalsHidden: true,
      shared: 'v',
      sync: 42,
      createPool: 'function',
      redis: 'TypeError',
      instrumentation: '@shared-call/opentelemetry',
    });
  });

  test('CommonJS requires every package and subpath', () => {
    expect(json(run(process.execPath, ['cjs.cjs']))).toEqual({
      dateKey: 5,
      internalsHidden: true,
      shared: 'v',
      sync: 42,
      createPool: 'function',
      redis: 'TypeError',
      instrumentation: '@shared-call/opentelemetry',
    });
  });

  test('TypeScript nodenext (strict) type-checks ESM and CJS modules, and what it emits runs', () => {
    run(bin('tsc'), ['-p', 'tsconfig.nodenext.json']);
    expect(json(run(process.execPath, ['out/app.mjs']))).toEqual({
      value: 5,
      keyed: true,
      hits: 0,
      shared: 'v',
      sync: 42,
      isClass: true,
      namespace: 'app',
    });
    expect(json(run(process.execPath, ['out/app.cjs']))).toEqual({ value: 1, sync: 42, createPool: 'function' });
  });

  test('TypeScript bundler resolution (strict) type-checks', () => {
    expect(run(bin('tsc'), ['-p', 'tsconfig.bundler.json'])).toBe('');
  });

  test('an esbuild Node ESM bundle runs on its own, with no node_modules beside it', () => {
    const standalone = join(dir, 'standalone');
    mkdirSync(standalone);
    esbuild('bundle-node.mjs', join(standalone, 'app.mjs'), '--platform=node', '--format=esm');
    expect(json(run(process.execPath, ['app.mjs'], standalone))).toEqual(SCENARIO);
  });

  test('a browser bundle that imports @shared-call/core/object-hash keys by Dates with no Node API', async () => {
    esbuild('bundle-web.mjs', 'out/web.js', '--platform=browser', '--format=iife');
    expect(await inWebContext(join(app, 'out/web.js'))).toEqual(SCENARIO);
  });

  test('a browser bundle without @shared-call/core/object-hash carries none of it, and still keys every argument exactly', async () => {
    esbuild('bundle-lean.mjs', 'out/lean.js', '--platform=browser', '--format=iife', '--minify');
    esbuild('bundle-web.mjs', 'out/web.min.js', '--platform=browser', '--format=iife', '--minify');
    const lean = statSync(join(app, 'out/lean.js')).size;
    expect(lean).toBeLessThan(16_000);
    expect(statSync(join(app, 'out/web.min.js')).size - lean).toBeGreaterThan(25_000); // object-hash
    expect(await inWebContext(join(app, 'out/lean.js'))).toEqual({
      plain: { same: true, runs: 2, other: '{"id":6}' },
      long: { same: true, runs: 2, other: true },
    });
  });

  test('a --platform=neutral bundle of core builds and runs with no Node API', async () => {
    esbuild('bundle-web.mjs', 'out/neutral.js', '--platform=neutral', '--format=iife');
    expect(await inWebContext(join(app, 'out/neutral.js'))).toEqual(SCENARIO);
  });
});
