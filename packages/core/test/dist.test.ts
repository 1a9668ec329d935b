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

  test('type declarations are published where package.json says', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../package.json') as { types: string; exports: { '.': { types: string } } };
    expect(existsSync(join(__dirname, '..', pkg.types))).toBe(true);
    expect(pkg.exports['.'].types).toBe(pkg.types);
  });
});
