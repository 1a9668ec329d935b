// Per-call cost of a coalesced call with 1000 callers per flight: the floor, shared-call and its peers side
// by side in one tinybench run. One task iteration is one flight: 1000 synchronous calls of one key (the
// first starts the flight, 999 join it), then `Promise.all` of the 1000 results.
import { contender, contenders } from '../lib/contenders.mjs';
import { flightTask } from '../lib/flights.mjs';
import { nsPerCall } from '../lib/measure.mjs';
import { formatNs, formatRatio, table, verdict } from '../lib/report.mjs';

const CALLERS = 1000;

export async function peersSection() {
  const keys = ['user:42'];
  const tasks = contenders.map(({ name, make }) => flightTask(name, make, keys, CALLERS));
  const results = await nsPerCall(tasks, { rounds: 5 });
  const ns = (id) => results.get(contender(id).name).ns;
  const ours = ns('shared-call');
  const rows = contenders.map(({ name, id }) => {
    const { ns: cost, rme } = results.get(name);
    return [name, formatNs(cost), `±${rme.toFixed(1)}%`, formatRatio(cost / ns('floor')), formatRatio(ours / cost)];
  });
  const vsFloor = ours / ns('floor');
  const vsCoalesce = ours / ns('promise-coalesce');
  const markdown = [
    `### Coalesced call, ${CALLERS} callers per flight (per call)`,
    '',
    table(['contender', 'time per call', 'error', 'vs floor', 'shared-call vs it'], rows),
    '',
    'Targets for the hit path (`AsyncSharedCall.call`):',
    '',
    `- ≤ 1.2x the floor: **${verdict(vsFloor, 1.2)}**`,
    `- ≤ 0.8x promise-coalesce: **${verdict(vsCoalesce, 0.8)}**`,
  ].join('\n');
  const peerRatios = contenders
    .filter(({ id }) => id !== 'floor')
    .map(({ id }) => ({ label: `${id} / floor`, ratio: ns(id) / ns('floor'), ...(id === 'shared-call' ? { limit: 1.2 } : {}) }));
  const headline = [...peerRatios, { label: 'shared-call / promise-coalesce', ratio: vsCoalesce, limit: 0.8 }];
  return { markdown, headline };
}
