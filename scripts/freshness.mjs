// Build only what is stale: `node scripts/freshness.mjs` (run before `pnpm test`, `demo`, `examples`,
// `docs:check`, and by `pnpm bench`) rebuilds the packages whose src/ changed since their last build, and nothing
// when all are fresh. Everything that runs code from the built dist/ goes through here, so nothing runs old code
// and nothing rebuilds in vain. Progress goes to stderr, so the stdout of `pnpm demo --json` stays pure JSON.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Newest modification time of the files below `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Names of the packages under `packagesDir` whose `main` is missing or older than a file of their src/. */
export function stalePackages(packagesDir) {
  return readdirSync(packagesDir).filter((name) => {
    const dir = join(packagesDir, name);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest) || !existsSync(join(dir, 'src'))) return false;
    const { main } = JSON.parse(readFileSync(manifest, 'utf8'));
    if (main === undefined) return false;
    const built = join(dir, main);
    return !existsSync(built) || statSync(built).mtimeMs < newestMtime(join(dir, 'src'));
  });
}

/** Builds the stale packages of the workspace at `root` (in dependency order); says which, on stderr. */
export function buildIfStale(root) {
  const stale = stalePackages(join(root, 'packages'));
  if (stale.length === 0) return;
  console.error(`building first: ${stale.join(', ')} changed since the last build`);
  const filters = stale.flatMap((name) => ['--filter', `./packages/${name}`]);
  execFileSync('npx', ['-y', 'pnpm@12.4.2', '--silent', '-r', ...filters, 'run', 'build'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildIfStale(fileURLToPath(new URL('..', import.meta.url)));
}
