// Measurement helpers: time per call with tinybench, and heap bytes per waiter around full collections.
import { deferred, median } from '../../test/support/helpers.cjs';
import { collect, MIN_ROUNDS, timeAlternately } from './alternate.mjs';
import { VALUE } from './flights.mjs';

/**
 * The older interface of {@link timeAlternately}, kept for benches not yet moved to it: returns, by task name,
 * the median nanoseconds per call over the rounds and that round's margin of error (`{ ns, rme }`), but no
 * ratio with its spread. `rounds` below MIN_ROUNDS are raised to it.
 */
export async function nsPerCall(tasks, { time = 500, warmupTime = 100, rounds = MIN_ROUNDS, iterations = 64 } = {}) {
  const comparison = await timeAlternately(tasks, { time, warmupTime, iterations, rounds: Math.max(rounds, MIN_ROUNDS) });
  return new Map(tasks.map(({ name }) => {
    const { value, rme } = median(comparison.samples.get(name), (sample) => sample.value);
    return [name, { ns: value, rme }];
  }));
}

const nextMacrotask = () => new Promise((resolve) => setImmediate(resolve));

/** Heap in use after everything pending has run and a full collection. */
async function settledHeap() {
  await nextMacrotask();
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * Holds one flight per key open while `callersPerKey` callers of each key wait on it (each caller attaches
 * one `.then`, as an `await` would), then releases them. Returns the heap growth per waiter in bytes (the
 * coalescer's flights and per-caller records plus each waiter's own reaction, which the floor pays too) and
 * the milliseconds from releasing the flights until every waiter has its value. With `instances` > 1 that
 * many coalescers (each made by `make`, each with all `keys`) are measured side by side, so that small
 * tables still make enough waiters for a heap reading to mean something.
 */
export async function waiterCost(make, keys, callersPerKey, instances = 1) {
  const gate = deferred();
  const calls = Array.from({ length: instances }, () => make(() => gate.promise));
  const waiters = instances * keys.length * callersPerKey;
  let received = 0;
  const receive = () => {
    received++;
  };
  const before = await settledHeap();
  for (const call of calls) {
    for (let round = 0; round < callersPerKey; round++) {
      for (const key of keys) call(key).then(receive);
    }
  }
  const after = await settledHeap();
  const start = performance.now();
  gate.resolve(VALUE);
  while (received < waiters) await nextMacrotask();
  const resolveMs = performance.now() - start;
  return { bytesPerWaiter: (after - before) / waiters, resolveMs };
}
