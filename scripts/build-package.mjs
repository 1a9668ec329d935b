// Builds the package in the current directory with tshy: ESM in dist/esm and CommonJS in dist/commonjs, each with
// its own declarations (so neither dialect's types masquerade as the other), and the `exports` map derived from
// package.json's "tshy" field. Two things are added around it:
// - tshy works in place (it writes src/package.json while compiling, builds in a fixed .tshy-build/, copies over
//   dist/ file by file), so it runs in a private staging copy (.build-<pid>/), and the finished dist/ is renamed
//   over the old one: a test, example or bench running meanwhile, or a second build, never sees a half-built dist/.
// - the package.json fields tshy manages (type, main, module, types, exports) are written back only when they
//   changed, so a new entry point in "tshy.exports" shows up in package.json after one build.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const MANAGED = ['type', 'main', 'module', 'types', 'exports'];
const require = createRequire(import.meta.url);
const tshy = join(dirname(require.resolve('tshy/package.json')), require('tshy/package.json').bin);
const staging = `.build-${process.pid}`;
const retired = `.dist-old-${process.pid}`;

try {
  mkdirSync(staging);
  cpSync('src', join(staging, 'src'), { recursive: true });
  cpSync('package.json', join(staging, 'package.json'));
  // The package's own tsconfig.json, with its paths (extends, include) still relative to the package.
  writeFileSync(join(staging, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json' }) + '\n');
  execFileSync(process.execPath, [tshy], { cwd: staging, stdio: 'inherit' });
  syncManagedFields(JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8')));
  swapIn(join(staging, 'dist'));
} finally {
  rmSync(staging, { recursive: true, force: true });
  rmSync(retired, { recursive: true, force: true });
}

/** Writes tshy's values of the fields it manages into package.json, if any differ. */
function syncManagedFields(built) {
  const text = readFileSync('package.json', 'utf8');
  const pkg = JSON.parse(text);
  for (const field of MANAGED) {
    if (built[field] === undefined) delete pkg[field];
    else pkg[field] = built[field];
  }
  const updated = JSON.stringify(pkg, null, 2) + '\n';
  if (updated !== text) {
    writeFileSync('package.json', updated);
    console.log(`${pkg.name}: package.json's ${MANAGED.join('/')} updated from "tshy"`);
  }
}

/** Replaces dist/ by `built` with two renames; retries while a concurrent build swaps its own in. */
function swapIn(built) {
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync('dist', retired);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      renameSync(built, 'dist');
      return;
    } catch (error) {
      if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt === 10) {
        if (!existsSync('dist')) renameSync(retired, 'dist'); // never leave the package without a dist/
        throw error;
      }
      rmSync(retired, { recursive: true, force: true });
    }
  }
}
