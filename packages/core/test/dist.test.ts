import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The published shape: after `pnpm build`, plain Node (no ts-node) loads the package by name both ways.
const root = join(__dirname, '..', '..', '..');
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 20_000 });

describe('built package (`pnpm test` builds it first)', () => {
  const program = `sc.call('k', async () => 'v').then((v) => console.log(typeof asyncShared.call, v));`;

  test('require("@shared-call/core") works from CommonJS', () => {
    const out = node(['-e', `const { AsyncSharedCall, asyncShared } = require('@shared-call/core'); const sc = new AsyncSharedCall(); ${program}`]);
    expect(out.trim()).toBe('function v');
  });

  test('import { AsyncSharedCall } from "@shared-call/core" works from ESM', () => {
    const out = node(['--input-type=module', '-e', `import { AsyncSharedCall, asyncShared } from '@shared-call/core'; const sc = new AsyncSharedCall(); ${program}`]);
    expect(out.trim()).toBe('function v');
  });

  test('every file package.json points to (main, types, each exports target) is built', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../package.json') as { main: string; types: string; exports: unknown };
    const targets = (entry: unknown): string[] =>
      typeof entry === 'string' ? [entry] : Object.values(entry as object).flatMap(targets);
    const files = [pkg.main, pkg.types, ...targets(pkg.exports)];
    expect(files).toContain('./dist/esm/node.d.ts');
    expect(files.filter((file) => !existsSync(join(__dirname, '..', file)))).toEqual([]);
  });
});
