// `pnpm release:check`: checks what `pnpm publish` would upload, as a consumer gets it. Packs every package
// (scripts/pack.mjs), then runs on each tarball @arethetypeswrong/cli (the types resolve, and match the JavaScript,
// under node10, node16 from CJS and from ESM, and bundler resolution) and publint (package.json against the files
// shipped; warnings count as errors). Exits 1 on any problem. Run by .ci/run before release.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { packAll } from './pack.mjs';

const attw = fileURLToPath(new URL('../node_modules/.bin/attw', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'shared-call-release-'));
let problems = 0;
try {
  for (const tarball of packAll(dir)) {
    const name = basename(tarball);
    try {
      execFileSync(attw, [tarball, '--format', 'table-flipped'], { stdio: 'pipe', encoding: 'utf8' });
      console.log(`${name}: attw: no problems`);
    } catch (error) {
      problems++;
      console.log(`${name}: attw:\n${error.stdout}${error.stderr}`);
    }
    const data = readFileSync(tarball);
    const tarballBuffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    const { messages, pkg } = await publint({ pack: { tarball: tarballBuffer }, strict: true });
    for (const message of messages) console.log(`${name}: publint ${message.type}: ${formatMessage(message, pkg)}`);
    problems += messages.length;
    if (messages.length === 0) console.log(`${name}: publint: no problems`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (problems > 0) {
  console.log(`release:check: ${problems} problem(s)`);
  process.exitCode = 1;
}
