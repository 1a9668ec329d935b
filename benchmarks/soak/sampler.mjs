// The child side of a soak (see soak.mjs): holds one package's steady load for the given seconds, and every
// sampling interval records the heap (after a full collection) and the p99 latency of the operations that
// completed in that interval (except those that overlapped the collection, which would count its pause as
// their latency). Prints `{ package, interval, operations, heap: [{ t, value }], p99: [...] }`
// as JSON on its last stdout line.
//   node --expose-gc benchmarks/soak/sampler.mjs PACKAGE SECONDS
import { percentile } from '../../test/support/helpers.cjs';
import { collect } from '../lib/alternate.mjs';

const LOADS = {
  core: () => import('./core-load.mjs'),
  'sync-workers': () => import('./sync-workers-load.mjs'),
  redis: () => import('./redis-load.mjs'),
};

/** Sampling interval: about 40 samples per run, between 0.5 s and 15 s apart. */
const intervalMs = (seconds) => Math.min(15_000, Math.max(500, (seconds * 1000) / 40));

const [name, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
if (!(name in LOADS) || !(seconds > 0)) {
  console.error(`usage: node --expose-gc benchmarks/soak/sampler.mjs (${Object.keys(LOADS).join('|')}) SECONDS`);
  process.exit(2);
}

const { startLoad } = await LOADS[name]();
let window = [];
let operations = 0;
/** When the latest forced collection of this thread began and ended (`performance.now()`). */
let collecting = { from: -1, to: -1 };
/**
 * Called by the load with the latency in ms of each completed operation, and its start on this thread's
 * clock when it ran on this thread (then it is left out if it overlapped the latest forced collection).
 */
const record = (ms, startedAt = undefined) => {
  operations++;
  if (startedAt !== undefined && startedAt <= collecting.to && startedAt + ms >= collecting.from) return;
  window.push(ms);
};
const load = await startLoad(record);
const heap = [];
const p99 = [];
const started = performance.now();
const interval = intervalMs(seconds);
try {
  while (performance.now() - started < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    const latencies = window;
    window = [];
    const from = performance.now();
    collect();
    collecting = { from, to: performance.now() };
    const t = (performance.now() - started) / 60_000;
    heap.push({ t, value: await load.heapBytes() });
    if (latencies.length > 0) p99.push({ t, value: percentile(latencies, 0.99) });
  }
} finally {
  await load.stop();
}
console.log(JSON.stringify({ package: name, interval, operations, heap, p99 }));
