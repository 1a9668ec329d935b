// Per-call cost of a coalesced call with 1000 callers per flight: the floor, shared-call and its peers
// measured alternately in one run (lib/alternate.mjs). One task iteration is one flight: 1000 synchronous
// calls of one key (the first starts the flight, 999 join it), then `Promise.all` of the 1000 results.
import { headline, timeAlternately } from '../lib/alternate.mjs';
import { checkInFlightOnly, contender, contenders } from '../lib/contenders.mjs';
import { flightTask } from '../lib/flights.mjs';
import { formatNs, formatRatio, progress, spreadNote, table, verdict } from '../lib/report.mjs';

const CALLERS = 1000;

export async function peersSection() {
  for (const entry of contenders) await checkInFlightOnly(entry);
  progress('every contender coalesces in flight and caches nothing');
  const keys = ['user:42'];
  const tasks = contenders.map(({ name, make }) => flightTask(name, make, keys, CALLERS));
  const timed = await timeAlternately(tasks);
  const ratio = (a, b) => timed.ratio(contender(a).name, contender(b).name);
  const rows = contenders.map(({ name, id }) => [
    name, formatNs(timed.median(name)), formatRatio(ratio(id, 'floor')), formatRatio(ratio('shared-call', id)),
  ]);
  const vsFloor = ratio('shared-call', 'floor');
  const vsCoalesce = ratio('shared-call', 'promise-coalesce');
  const markdown = [
    `### Coalesced call, ${CALLERS} callers per flight (per call)`,
    '',
    table(['contender', 'time per call', 'vs floor', 'shared-call vs it'], rows),
    '',
    spreadNote(timed.rounds),
    '',
    'Targets for the hit path (`AsyncSharedCall.call`):',
    '',
    `- ≤ 1.2x the floor: **${verdict(vsFloor, 1.2)}**`,
    `- ≤ 0.8x promise-coalesce: **${verdict(vsCoalesce, 0.8)}**`,
  ].join('\n');
  const peerRatios = contenders
    .filter(({ id }) => id !== 'floor' && id !== 'shared-call')
    .map(({ id }) => headline(`${id} / floor`, ratio(id, 'floor')));
  return {
    markdown,
    headline: [
      headline('hit path: shared-call / floor', vsFloor, { target: 'hit-path' }),
      ...peerRatios,
      headline('shared-call / promise-coalesce', vsCoalesce, { limit: 0.8 }),
    ],
  };
}
