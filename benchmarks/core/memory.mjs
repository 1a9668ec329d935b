// Memory per waiter: 1,000,000 concurrent waiters on one key, held open, then released. Heap growth per
// waiter after a full collection, and the time from settling the flight until every waiter has its value,
// for every contender, measured alternately (lib/alternate.mjs).
import { alternate, headline } from '../lib/alternate.mjs';
import { contender, contenders } from '../lib/contenders.mjs';
import { keysOf } from '../lib/flights.mjs';
import { waiterCost } from '../lib/measure.mjs';
import { formatBytes, formatRatio, progress, spreadNote, table } from '../lib/report.mjs';

const WAITERS = 1_000_000;
/** Heap readings vary little: the minimum rounds are enough, and a round of 1,000,000 waiters each is long. */
const ROUNDS = 5;

export async function memorySection() {
  const keys = keysOf(1);
  const heap = await alternate(contenders, async ({ name, make }) => {
    progress(`${WAITERS} waiters: ${name}`);
    const { bytesPerWaiter, resolveMs } = await waiterCost(make, keys, WAITERS);
    return { value: bytesPerWaiter, resolveMs };
  }, { rounds: ROUNDS });
  const floor = contender('floor').name;
  const rows = contenders.map(({ name }) => {
    const resolveMs = heap.median(name, (sample) => sample.resolveMs);
    return [name, formatBytes(heap.median(name)), formatRatio(heap.ratio(name, floor)), `${resolveMs.toFixed(0)} ms`];
  });
  const markdown = [
    `### ${WAITERS.toLocaleString('en-US')} concurrent waiters on one key`,
    '',
    table(['contender', 'heap per waiter', 'vs floor', 'time to resolve all'], rows),
    '',
    `${spreadNote(heap.rounds)} Heap and time are medians over the rounds.`,
    '',
    'Each waiter is `call(key).then(onValue)`, so every row includes the waiter\'s own reaction (the floor\'s',
    'whole cost); a coalescer that hands every caller the same promise adds nothing per waiter.',
  ].join('\n');
  const ours = heap.ratio(contender('shared-call').name, floor);
  return { markdown, headline: [headline('shared-call heap per waiter / floor', ours)] };
}
