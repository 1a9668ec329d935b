// Memory per waiter: 1,000,000 concurrent waiters on one key, held open, then released. Heap growth per
// waiter after a full collection, and the time from settling the flight until every waiter has its value.
import { contenders } from '../lib/contenders.mjs';
import { keysOf } from '../lib/flights.mjs';
import { waiterCost } from '../lib/measure.mjs';
import { formatBytes, formatRatio, progress, table } from '../lib/report.mjs';

const WAITERS = 1_000_000;

export async function memorySection() {
  const keys = keysOf(1);
  const results = new Map();
  for (const { id, name, make } of contenders) {
    progress(`${WAITERS} waiters: ${name}`);
    results.set(id, await waiterCost(make, keys, WAITERS));
  }
  const floor = results.get('floor');
  const rows = contenders.map(({ id, name }) => {
    const { bytesPerWaiter, resolveMs } = results.get(id);
    return [name, formatBytes(bytesPerWaiter), formatRatio(bytesPerWaiter / floor.bytesPerWaiter), `${resolveMs.toFixed(0)} ms`];
  });
  const ours = results.get('shared-call');
  const markdown = [
    `### ${WAITERS.toLocaleString('en-US')} concurrent waiters on one key`,
    '',
    table(['contender', 'heap per waiter', 'vs floor', 'time to resolve all'], rows),
    '',
    'Each waiter is `call(key).then(onValue)`, so every row includes the waiter\'s own reaction (the floor\'s',
    'whole cost); a coalescer that hands every caller the same promise adds nothing per waiter.',
  ].join('\n');
  const headline = [{ label: 'shared-call heap per waiter / floor', ratio: ours.bytesPerWaiter / floor.bytesPerWaiter }];
  return { markdown, headline };
}
