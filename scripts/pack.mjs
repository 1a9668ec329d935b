// Packs every workspace package as `pnpm publish` would upload it (`pnpm pack`, which rewrites `workspace:` ranges
// to versions and adds the root LICENSE) into one folder. `node scripts/pack.mjs DIR` prints the tarball paths as
// JSON. Used by `pnpm release:check` and by the consumer test (test/consumer), which installs the tarballs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Packs the packages into `dest` (created if missing); returns the tarballs' absolute paths. */
export function packAll(dest) {
  const dir = resolve(dest);
  mkdirSync(dir, { recursive: true });
  execFileSync('npx', ['-y', 'pnpm@12.4.2', '--silent', '-r', 'pack', '--pack-destination', dir], {
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
