// Scaling of shared-call against the floor: per-call time and heap per waiter as callers per flight grow
// (1 → 1,000,000) and as distinct keys in flight grow (1 → 100,000).
import { contender } from '../lib/contenders.mjs';
import { flightTask, keysOf } from '../lib/flights.mjs';
import { nsPerCall, waiterCost } from '../lib/measure.mjs';
import { formatBytes, formatNs, formatRatio, progress, table } from '../lib/report.mjs';

const compared = [contender('floor'), contender('shared-call')];
/** Calls per timed task at least, so that small flights are not drowned by the harness. */
const MIN_CALLS = 1000;
/** Waiters per heap reading at least, so that small flights still give a stable reading. */
const MIN_WAITERS = 100_000;
const CALLERS_PER_KEY = 10;

/**
 * One row of a scaling table: time per call with `keyCount` keys × `callersPerKey` callers per task, and
 * heap per waiter with the same shape repeated over `instances` coalescers (see `waiterCost`).
 */
async function measurePoint(label, keyCount, callersPerKey, instances) {
  progress(`scaling: ${label}`);
  const keys = keysOf(keyCount);
  // Tasks of 100,000 calls and more take up to seconds each: two iterations a round (tinybench would run at
  // least 64), still three rounds in turned order so that neither contender always runs first.
  const budget = keyCount * callersPerKey >= 100_000 ? { time: 1, iterations: 2, rounds: 3 } : { time: 300, rounds: 3 };
  const tasks = compared.map(({ name, make }) => flightTask(name, make, keys, callersPerKey));
  const timed = await nsPerCall(tasks, budget);
  const [floor, ours] = await measureEach(compared, async ({ name, make }) => ({
    ns: timed.get(name).ns,
    ...(await waiterCost(make, keys, callersPerKey, instances)),
  }));
  return [label, formatNs(floor.ns), formatNs(ours.ns), formatRatio(ours.ns / floor.ns),
    formatBytes(floor.bytesPerWaiter), formatBytes(ours.bytesPerWaiter)];
}

/** `measure(item)` for each item, one after the other (heap readings must not overlap). */
async function measureEach(items, measure) {
  const results = [];
  for (const item of items) results.push(await measure(item));
  return results;
}

const HEADERS = ['floor per call', 'shared-call per call', 'ratio', 'floor heap/waiter', 'shared-call heap/waiter'];

export async function scalingSection() {
  const callerRows = [];
  for (const callers of [1, 10, 100, 1e3, 1e4, 1e5, 1e6]) {
    // Small flights run side by side on distinct keys: ⌈MIN_CALLS / callers⌉ flights per timed task.
    const flights = Math.ceil(MIN_CALLS / callers);
    callerRows.push(await measurePoint(callers.toLocaleString('en-US'), flights, callers, Math.ceil(MIN_WAITERS / (flights * callers))));
  }
  const keyRows = [];
  for (const keyCount of [1, 10, 100, 1e3, 1e4, 1e5]) {
    const instances = Math.ceil(MIN_WAITERS / (keyCount * CALLERS_PER_KEY));
    keyRows.push(await measurePoint(keyCount.toLocaleString('en-US'), keyCount, CALLERS_PER_KEY, instances));
  }
  const markdown = [
    '### Scaling: callers per flight',
    '',
    `Flights of N callers; below ${MIN_CALLS} callers, ⌈${MIN_CALLS}/N⌉ flights on distinct keys run per timed task, and`,
    `heap readings cover at least ${MIN_WAITERS.toLocaleString('en-US')} waiters.`,
    '',
    table(['callers per flight', ...HEADERS], callerRows),
    '',
    '### Scaling: distinct keys in flight',
    '',
    `N keys in flight at once, ${CALLERS_PER_KEY} callers each. Heap readings repeat the N-key table over enough`,
    `coalescer instances to make ${MIN_WAITERS.toLocaleString('en-US')} waiters (instances are created before the reading).`,
    '',
    table(['distinct keys', ...HEADERS], keyRows),
  ].join('\n');
  return { markdown, headline: [] };
}
