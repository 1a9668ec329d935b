// Auto-key cost: a `group()`-wrapped function called with typical arguments, against the same coalesced
// call with a hand-written key, both as `group({ keyFn })` (same wrapper, only the key differs) and as a
// direct `call(`user:${id}`, …)`. One task iteration is one flight of 1000 callers with equal arguments.
import { AsyncSharedCall } from '@shared-call/core';
import { loadNow, makeFly } from '../lib/flights.mjs';
import { headline as headlineOf, timeAlternately } from '../lib/alternate.mjs';
import { formatNs, formatRatio, spreadNote, table, verdict } from '../lib/report.mjs';

const CALLERS = 1000;
/** Target: an automatic key for primitive arguments costs at most this many times a hand-written one. */
const LIMIT = 2;

/** The argument shapes: the arguments, and the hand-written key a user would give for them. */
const shapes = [
  { label: '`(42)`', args: [42], keyFn: (id) => `user:${id}`, primitive: true },
  { label: "`('abc', 7)`", args: ['abc', 7], keyFn: (name, page) => `${name}:${page}`, primitive: true },
  { label: "`({ id: 42, name: 'x' })`", args: [{ id: 42, name: 'x' }], keyFn: (user) => `user:${user.id}` },
];

/** `(args) => invoke(...args)`, compiled apart for each task so that its call site stays monomorphic. */
function spreading(invoke) {
  return new Function('invoke', 'return (args) => invoke(...args);')(invoke);
}

/** The task name of one variant of one shape. */
const name = (kind, shape) => `${kind} ${shape.label}`;

export async function autoKeySection() {
  const sc = new AsyncSharedCall();
  const fetchUser = (..._args) => loadNow();
  const variants = shapes.map((shape) => {
    const auto = sc.group()(fetchUser);
    const byKeyFn = sc.group({ keyFn: shape.keyFn })(fetchUser);
    const direct = (...args) => sc.call(shape.keyFn(...args), () => fetchUser(...args));
    return { shape, tasks: { auto, keyFn: byKeyFn, call: direct } };
  });
  const tasks = variants.flatMap(({ shape, tasks: invokers }) =>
    Object.entries(invokers).map(([kind, invoke]) => {
      const call = spreading(invoke);
      const fly = makeFly();
      const argumentLists = [shape.args]; // one "key": every caller passes the same arguments
      return { name: name(kind, shape), fn: () => fly(call, argumentLists, CALLERS), calls: CALLERS };
    }),
  );
  const timed = await timeAlternately(tasks);
  const ns = (kind, shape) => timed.median(name(kind, shape));

  const headline = [];
  const judge = (ratio, shape, reference) => {
    if (!shape.primitive) return formatRatio(ratio);
    const args = shape.args.map(String).join(', ');
    headline.push(headlineOf(`auto key (${args}) / hand key (${reference})`, ratio, { limit: LIMIT }));
    return verdict(ratio, LIMIT);
  };
  const rows = shapes.map((shape) => [
    shape.label,
    formatNs(ns('auto', shape)),
    formatNs(ns('keyFn', shape)),
    formatNs(ns('call', shape)),
    judge(timed.ratio(name('auto', shape), name('keyFn', shape)), shape, 'keyFn'),
    judge(timed.ratio(name('auto', shape), name('call', shape)), shape, 'call'),
  ]);
  const markdown = [
    `### Automatic keys, ${CALLERS} callers per flight (per call)`,
    '',
    table(['arguments', 'auto key', 'hand key (`keyFn`)', 'hand key (`call`)', 'auto vs `keyFn`', 'auto vs `call`'], rows),
    '',
    spreadNote(timed.rounds),
    '',
    `Target: auto key for primitive arguments ≤ ${LIMIT}x a hand key, judged against both hand keys: \`group({ keyFn })\`,`,
    'the same wrapped call with only the key built differently, and a direct `call(`user:${id}`, …)` without the',
    'wrapper. Objects are spelled out in time proportional to their size (no target), and digested with SHA-1 beyond 512 characters: give hot functions with large arguments a `keyFn`.',
  ].join('\n');
  return { markdown, headline };
}
