import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { stableLabel } from '@shared-call/core/internal';

describe('stableLabel', () => {
  test('depends on name and source only', () => {
    const a = function load(x: number) { return x + 1; };
    const b = function load(x: number) { return x + 1; };
    const c = function load(x: number) { return x + 2; };
    expect(stableLabel(a, 'load')).toBe(stableLabel(b, 'load'));
    expect(stableLabel(a, 'load')).not.toBe(stableLabel(c, 'load'));
    expect(stableLabel(a, 'other')).toMatch(/^other#/);
    expect(stableLabel(() => 1, '')).toMatch(/^anonymous#[0-9a-z]+$/);
  });

  test('is the same in another process', () => {
    const fn = (id: number) => ({ id });
    const source = fn.toString();
    // The hash must not depend on anything but the text: recompute it in a fresh Node process.
    const code = `const {stableLabel}=require('@shared-call/core/internal');` +
      `process.stdout.write(stableLabel(eval(${JSON.stringify('(' + source + ')')}), 'fn'))`;
    const root = join(__dirname, '..', '..', '..');
    expect(execFileSync(process.execPath, ['-e', code], { cwd: root, encoding: 'utf8' })).toBe(stableLabel(fn, 'fn'));
  });
});
