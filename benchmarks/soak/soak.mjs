// `pnpm bench --soak [--minutes N]`: holds steady load on each package in turn (core, sync-workers,
// redis), each in a process of its own for N minutes (default 5), samples its heap and p99 latency over time
// (sampler.mjs), and prints for each package whether either grows by the rule of growth.mjs. Resolves to
// the exit code: 0 when every series is steady, 1 when one grows or a package's load fails.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { judgeGrowth, TOLERANCE, WARMUP } from './growth.mjs';

export const SOAK_PACKAGES = ['core', 'sync-workers', 'redis'];
const SAMPLER = fileURLToPath(new URL('./sampler.mjs', import.meta.url));

/** Runs the sampler of `name` for `seconds`; resolves to its JSON result, or rejects with why it failed. */
function sample(name, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', SAMPLER, name, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`its sampler exited with ${code}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ms = (value) => `${value.toFixed(2)} ms`;

/** One line of the verdict: the medians of the two halves, the last half's slope, and steady/GROWS. */
function describe(label, series, tolerance, unit) {
  const { first, last, slope, grows } = judgeGrowth(series, tolerance);
  const line = `  ${label}: ${unit(first)} → ${unit(last)} (last half ${slope >= 0 ? '+' : '−'}${unit(Math.abs(slope))}/min): ${grows ? 'GROWS' : 'steady'}`;
  return { line, grows };
}

/** Soaks `packages` for `minutes` each; resolves to the exit code. */
export async function soak({ minutes = 5, packages = SOAK_PACKAGES } = {}) {
  console.log(`soak: ${packages.join(', ')}, ${minutes} min each. A series GROWS when the median of its last half`);
  console.log(`exceeds the first half's (after dropping the first ${WARMUP * 100} %) by more than heap ${TOLERANCE.heap.relative * 100} % and ${mib(TOLERANCE.heap.absolute)},`);
  console.log(`p99 ${TOLERANCE.p99.relative * 100} % and ${ms(TOLERANCE.p99.absolute)}, and the least-squares slope of the last half is positive.`);
  let failed = false;
  for (const name of packages) {
    console.log(`\n▶ ${name}`);
    try {
      const result = await sample(name, minutes * 60);
      console.log(`  ${result.operations.toLocaleString('en-US')} operations, ${result.heap.length} samples every ${(result.interval / 1000).toFixed(1)} s`);
      const verdicts = [describe('heap', result.heap, TOLERANCE.heap, mib), describe('p99 ', result.p99, TOLERANCE.p99, ms)];
      verdicts.forEach(({ line }) => console.log(line));
      failed ||= verdicts.some(({ grows }) => grows);
    } catch (error) {
      console.log(`  ✗ ${error.message}`);
      failed = true;
    }
  }
  console.log(failed ? '\nsoak: growth or failure (see above)' : '\nsoak: every package steady');
  return failed ? 1 : 0;
}
