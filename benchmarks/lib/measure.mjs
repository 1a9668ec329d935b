// Measurement helpers: time per call with tinybench, and heap bytes per waiter around full collections.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Bench } from 'tinybench';
import { deferred, median } from '../../test/support/helpers.cjs';
import { VALUE } from './flights.mjs';

/**
 * Runs `tasks` (`{ name, fn, calls, hooks? }`, where one `fn()` makes `calls` calls, and `hooks` are tinybench's
 * `beforeAll`/`afterAll`, run around each phase of the task) side by side in tinybench and
 * returns, by name, the nanoseconds per call and the relative margin of error in percent. With `rounds` > 1
 * the bench runs that many times, each round starting the task list one place further on, and each task
 * keeps its median round: a burst of load from elsewhere on the machine hits one round, and no contender
 * always runs right after the same other one. A full collection before each task leaves it none of the
 * previous task's garbage. tinybench runs each task for `time` ms *and* at least `iterations` times: lower
 * `iterations` for tasks that take a second.
 */
export async function nsPerCall(tasks, { time = 500, warmupTime = 100, rounds = 1, iterations = 64 } = {}) {
  const warmupIterations = Math.ceil(iterations / 4); // tinybench defaults: 64 and 16
  const samples = new Map(tasks.map(({ name }) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime, iterations, warmupIterations, throws: true, setup: collect });
    const order = tasks.map((_, i) => tasks[(i + round) % tasks.length]);
    for (const { name, fn, hooks } of order) bench.add(name, fn, hooks);
    await bench.run();
    order.forEach(({ name, calls }, i) => {
      const { latency } = bench.tasks[i].result;
      samples.get(name).push({ ns: (latency.mean * 1e6) / calls, rme: latency.rme });
    });
  }
  return new Map(tasks.map(({ name }) => [name, median(samples.get(name), (sample) => sample.ns)]));
}

/** A full garbage collection: `global.gc` under `--expose-gc` (the runner passes it), else enabled here. */
export const collect = globalThis.gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc'));

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
