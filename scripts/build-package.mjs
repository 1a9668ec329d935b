// Builds the package in the current directory twice: tsconfig.json gives ESM (dist/esm) with declarations
// (dist/types), tsconfig.cjs.json gives CommonJS (dist/cjs). Each output folder gets a package.json naming its module type,
// so plain Node loads either one by the package's `exports` map.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = (project) => execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
build('tsconfig.json');
build('tsconfig.cjs.json');
for (const [dir, type] of [['dist/esm', 'module'], ['dist/cjs', 'commonjs']]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ type }) + '\n');
}
