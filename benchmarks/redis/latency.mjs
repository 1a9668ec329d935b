// Latency of a coalesced call on Redis against the floor every cross-process scheme pays: one Redis round trip
// (a bare GET). A flight no other process joins costs its leader an ACQUIRE script before fn and a SETTLE
// script after it; the callers do not wait for SETTLE, but the next flight on the connection queues behind it.
// Callers joining a local flight add almost nothing.
import { RedisSharedCall } from '@shared-call/redis';
import { nsPerCall } from '../lib/measure.mjs';
import { formatNs, formatRatio, table } from '../lib/report.mjs';

const CALLERS = 100;

export async function latencySection(redis) {
  const sc = new RedisSharedCall({ redis, namespace: 'bench-latency' });
  let flight = 0;
  const one = () => 'v';
  const tasks = [
    { name: 'bare Redis GET round trip', fn: () => redis.get('bench:absent'), calls: 1 },
    { name: `coalesced call, 1 caller (a whole flight)`, fn: () => sc.call(`one:${flight++}`, one), calls: 1 },
    {
      name: `coalesced call, ${CALLERS} concurrent callers per flight`,
      fn: () => {
        const key = `many:${flight++}`;
        return Promise.all(Array.from({ length: CALLERS }, () => sc.call(key, one)));
      },
      calls: CALLERS,
    },
  ];
  const results = await nsPerCall(tasks, { time: 1500, rounds: 3 });
  await sc.close();
  const get = results.get(tasks[0].name).ns;
  const rows = tasks.map(({ name }) => {
    const { ns, rme } = results.get(name);
    return [name, formatNs(ns), `±${rme.toFixed(1)}%`, formatRatio(ns / get)];
  });
  const flightRatio = results.get(tasks[1].name).ns / get;
  const perCallerRatio = results.get(tasks[2].name).ns / get;
  return {
    markdown: [
      '### Coalesced call latency vs a bare Redis GET (per call, Redis on 127.0.0.1)',
      '',
      table(['what', 'time per call', 'error', 'vs GET'], rows),
      '',
      `A flight on Redis costs ${formatRatio(flightRatio)} a GET round trip for its leader; with ${CALLERS}`,
      `callers per flight each caller pays ${formatRatio(perCallerRatio)} of one GET.`,
    ].join('\n'),
    headline: [
      { label: 'redis flight / GET', ratio: flightRatio },
      { label: `redis per caller (${CALLERS}/flight) / GET`, ratio: perCallerRatio },
    ],
  };
}
