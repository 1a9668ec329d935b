// Packs every published workspace package as `pnpm publish` would upload it (`pnpm pack`, which rewrites `workspace:` ranges
// to versions and adds the root LICENSE) into one folder. `node scripts/pack.mjs DIR` prints the tarball paths as
// JSON. Used by `pnpm release:check` and by the consumer test (test/consumer), which installs the tarballs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The folders under packages/ of the packages that are published (`"private": true` ones, like test-utils, are not). */
export function publishedPackages() {
  const packages = join(root, 'packages');
  return readdirSync(packages).filter((name) => {
    const manifest = join(packages, name, 'package.json');
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).private !== true;
  });
}

/** Packs the published packages into `dest` (created if missing); returns the tarballs' absolute paths. */
export function packAll(dest) {
  const dir = resolve(dest);
  mkdirSync(dir, { recursive: true });
  const filters = publishedPackages().flatMap((name) => ['--filter', `./packages/${name}`]);
  execFileSync('npx', ['-y', 'pnpm@12.4.2', '--silent', '-r', ...filters, 'pack', '--pack-destination', dir], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tgz'))
    .map((name) => join(dir, name));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === undefined) throw new TypeError('usage: node scripts/pack.mjs DIR');
  console.log(JSON.stringify(packAll(process.argv[2])));
}
