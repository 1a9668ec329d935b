// Runs every JavaScript/TypeScript code block of README.md and docs/*.md as written, so documentation cannot rot.
// A block whose info string contains `no-run` (signatures, shell commands) is skipped. TypeScript blocks are
// type-checked (strict) against the built packages' declarations, transpiled with the project's TypeScript (TC39
// decorators included) and run as ES modules from the repository root, so they import the built packages by name, with REDIS_URL pointing at a throwaway redis-server started
// here. Exits non-zero if any block throws, exits non-zero or hangs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';

const { startRedisServer } = createRequire(import.meta.url)('./redis-server.cjs');

const files = [
  'README.md',
  ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f)),
  ...readdirSync('packages').map((p) => join('packages', p, 'README.md')).filter((f) => existsSync(f)),
];
const blockPattern = /^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm;
const scratch = mkdtempSync(join(process.cwd(), '.docs-check-'));
let failures = 0;
let ran = 0;
const typed = new Map(); // scratch .mts path → where the block stands in the docs
const redis = await startRedisServer();
const env = { ...process.env, REDIS_URL: `redis://127.0.0.1:${redis.port}` };

try {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [, lang, info, code] of text.matchAll(blockPattern)) {
      if (!['ts', 'typescript', 'js', 'javascript', 'mjs'].includes(lang) || info.includes('no-run')) continue;
      const line = text.slice(0, text.indexOf(code)).split('\n').length;
      const js = lang.startsWith('t')
        ? ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
        : code;
      const path = join(scratch, `block-${ran++}.mjs`);
      writeFileSync(path, js);
      if (lang.startsWith('t')) {
        typed.set(path.replace(/\.mjs$/, '.mts'), `${file}:${line}`);
        writeFileSync(path.replace(/\.mjs$/, '.mts'), code);
      }
      try {
        execFileSync(process.execPath, [path], { stdio: 'pipe', timeout: 60_000, env });
        console.log(`ok   ${file}:${line}`);
      } catch (error) {
        failures++;
        console.log(`FAIL ${file}:${line}\n${error.stderr?.toString() || error.message}`);
      }
    }
  }
  failures += typeErrors([...typed.keys()]);
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await redis.stop();
}
console.log(`${ran} code blocks run, ${failures} failed`);
if (failures > 0) process.exit(1);

/** Type-checks the TypeScript blocks together; prints each error at its place in the docs; returns the count. */
function typeErrors(paths) {
  const program = ts.createProgram(paths, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  for (const d of diagnostics) {
    const where = d.file ? `${typed.get(d.file.fileName) ?? d.file.fileName} (block line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1})` : '';
    console.log(`TYPE ${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }
  console.log(`${paths.length} TypeScript blocks type-checked, ${diagnostics.length} errors`);
  return diagnostics.length;
}
