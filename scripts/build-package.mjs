// Builds the package in the current directory twice: tsconfig.json gives ESM (esm/) with declarations
// (types/), tsconfig.cjs.json gives CommonJS (cjs/). Each output folder gets a package.json naming its module
// type, so plain Node loads either one by the package's `exports` map. The build goes to a fresh staging folder
// that replaces dist/ only once complete, so a test or example running meanwhile never finds dist/ half gone.
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const staging = `dist.${process.pid}`;
const build = (project, ...overrides) =>
  execFileSync(process.execPath, [tsc, '-p', project, ...overrides], { stdio: 'inherit' });

try {
  build('tsconfig.json', '--outDir', `${staging}/esm`, '--declarationDir', `${staging}/types`);
  build('tsconfig.cjs.json', '--outDir', `${staging}/cjs`);
  for (const [dir, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
    mkdirSync(`${staging}/${dir}`, { recursive: true });
    writeFileSync(`${staging}/${dir}/package.json`, JSON.stringify({ type }) + '\n');
  }
  rmSync('dist', { recursive: true, force: true });
  renameSync(staging, 'dist');
} finally {
  rmSync(staging, { recursive: true, force: true });
}
