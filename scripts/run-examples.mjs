// Runs every program in examples/ with plain Node and checks its output against the pattern written in its
// first comment line (`// expect: <regexp>`). Exits non-zero if any example fails, prints or hangs.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'examples';
let failures = 0;
for (const file of readdirSync(dir).filter((f) => /\.(mjs|cjs|js)$/.test(f)).sort()) {
  const path = join(dir, file);
  const expected = /^\/\/ expect: (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
  try {
    const output = execFileSync(process.execPath, [path], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (expected !== undefined && !new RegExp(expected).test(output)) {
      throw new Error(`output does not match /${expected}/:\n${output}`);
    }
    console.log(`ok   ${path}`);
  } catch (error) {
    failures++;
    console.log(`FAIL ${path}: ${error.stderr?.trim() || error.message}`);
  }
}
if (failures > 0) process.exit(1);
