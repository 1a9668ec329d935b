// Scaling of shared-call against the floor: per-call time and heap per waiter as callers per flight grow
// (1 → 1,000,000) and as distinct keys in flight grow (1 → 100,000), each point measured alternately
// (lib/alternate.mjs). The single-caller flight and 10–10,000 distinct keys carry issue 13's targets.
import { alternate, DEFAULT_ROUNDS, headline, MIN_ROUNDS, timeAlternately } from '../lib/alternate.mjs';
import { contender } from '../lib/contenders.mjs';
import { flightTask, keysOf } from '../lib/flights.mjs';
import { waiterCost } from '../lib/measure.mjs';
import { targetLimit } from '../lib/targets.mjs';
import { formatBytes, formatNs, formatRatio, progress, table, verdict } from '../lib/report.mjs';

const compared = [contender('floor'), contender('shared-call')];
const [FLOOR, OURS] = compared.map(({ name }) => name);
/** Calls per timed task at least, so that small flights are not drowned by the harness. */
const MIN_CALLS = 1000;
/** Waiters per heap reading at least, so that small flights still give a stable reading. */
const MIN_WAITERS = 100_000;
const CALLERS_PER_KEY = 10;

/** `ratio` with its verdict against target `id`, or plain when the row has no target. */
const judged = (ratio, id) => (id === undefined ? formatRatio(ratio) : verdict(ratio, targetLimit(id)));

/**
 * One row of a scaling table: time per call with `keyCount` keys × `callersPerKey` callers per task, and
 * heap per waiter with the same shape repeated over `instances` coalescers (see `waiterCost`), floor and
 * shared-call alternately. `targets` (`{ time?, heap? }`: target ids) add verdicts and headlines.
 */
async function measurePoint(label, keyCount, callersPerKey, instances, targets = {}) {
  progress(`scaling: ${label}`);
  const keys = keysOf(keyCount);
  // Tasks of 100,000 calls and more take up to seconds each: two iterations a measurement (tinybench would
  // run at least 64) and the fewest rounds.
  const budget = keyCount * callersPerKey >= 100_000 ? { time: 1, iterations: 2, rounds: MIN_ROUNDS } : {};
  const timed = await timeAlternately(compared.map(({ name, make }) => flightTask(name, make, keys, callersPerKey)), budget);
  const heap = await alternate(compared, async ({ make }) => (await waiterCost(make, keys, callersPerKey, instances)).bytesPerWaiter, { rounds: MIN_ROUNDS });
  const time = timed.ratio(OURS, FLOOR);
  const bytes = heap.ratio(OURS, FLOOR);
  const headlines = [
    ...(targets.time === undefined ? [] : [headline(`${label}: time / floor`, time, { target: targets.time })]),
    ...(targets.heap === undefined ? [] : [headline(`${label}: heap / floor`, bytes, { target: targets.heap })]),
  ];
  const row = [label, formatNs(timed.median(FLOOR)), formatNs(timed.median(OURS)), judged(time, targets.time),
    formatBytes(heap.median(FLOOR)), formatBytes(heap.median(OURS)), judged(bytes, targets.heap)];
  return { row, headlines };
}

const HEADERS = ['floor per call', 'shared-call per call', 'time ratio', 'floor heap/waiter', 'shared-call heap/waiter', 'heap ratio'];

/** Issue 13's targets on the distinct-keys table: from 10 to 10,000 keys. */
const targetedKeys = (keyCount) => keyCount >= 10 && keyCount <= 10_000;

export async function scalingSection() {
  const callerPoints = [];
  for (const callers of [1, 10, 100, 1e3, 1e4, 1e5, 1e6]) {
    // Small flights run side by side on distinct keys: ⌈MIN_CALLS / callers⌉ flights per timed task.
    const flights = Math.ceil(MIN_CALLS / callers);
    const targets = callers === 1 ? { time: 'single-caller-time', heap: 'single-caller-heap' } : {};
    const label = `${callers.toLocaleString('en-US')} caller${callers === 1 ? '' : 's'} per flight`;
    callerPoints.push(await measurePoint(label, flights, callers, Math.ceil(MIN_WAITERS / (flights * callers)), targets));
  }
  const keyPoints = [];
  for (const keyCount of [1, 10, 100, 1e3, 1e4, 1e5]) {
    const instances = Math.ceil(MIN_WAITERS / (keyCount * CALLERS_PER_KEY));
    const label = `${keyCount.toLocaleString('en-US')} distinct key${keyCount === 1 ? '' : 's'}`;
    keyPoints.push(await measurePoint(label, keyCount, CALLERS_PER_KEY, instances, targetedKeys(keyCount) ? { time: 'distinct-keys' } : {}));
  }
  const markdown = [
    '### Scaling: callers per flight',
    '',
    `Flights of N callers; below ${MIN_CALLS} callers, ⌈${MIN_CALLS}/N⌉ flights on distinct keys run per timed task, and`,
    `heap readings cover at least ${MIN_WAITERS.toLocaleString('en-US')} waiters. Targets (issue 13) for a flight with a single caller:`,
    `time ≤ ${targetLimit('single-caller-time')}x and heap ≤ ${targetLimit('single-caller-heap')}x the floor.`,
    '',
    table(['flight', ...HEADERS], callerPoints.map(({ row }) => row)),
    '',
    '### Scaling: distinct keys in flight',
    '',
    `N keys in flight at once, ${CALLERS_PER_KEY} callers each. Heap readings repeat the N-key table over enough`,
    `coalescer instances to make ${MIN_WAITERS.toLocaleString('en-US')} waiters (instances are created before the reading).`,
    `Target (issue 13) from 10 to 10,000 keys: time ≤ ${targetLimit('distinct-keys')}x the floor.`,
    '',
    table(['keys in flight', ...HEADERS], keyPoints.map(({ row }) => row)),
    '',
    `Ratios: median of the per-round ratios (min–max in brackets) of ${DEFAULT_ROUNDS} alternating rounds for time (${MIN_ROUNDS}`,
    `for tasks of 100,000 calls and more) and ${MIN_ROUNDS} for heap. Time and heap are medians over the rounds.`,
  ].join('\n');
  return { markdown, headline: [...callerPoints, ...keyPoints].flatMap(({ headlines }) => headlines) };
}
