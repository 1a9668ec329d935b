// The benches import the workspace packages by name, from their built dist/. A bench of a stale build
// measures old code, so the runner rebuilds first when any package's src/ is newer than its build.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

/** Rebuilds the workspace (`pnpm build`) if any package is stale; says which. */
export function buildIfStale(root) {
  const stale = stalePackages(join(root, 'packages'));
  if (stale.length === 0) return;
  console.log(`building first: ${stale.join(', ')} changed since the last build`);
  execFileSync('npx', ['-y', 'pnpm@12.4.2', 'run', 'build'], { cwd: root, stdio: 'inherit' });
}
