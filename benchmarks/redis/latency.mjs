// Latency of a coalesced call on Redis against the floor every cross-process scheme pays: one Redis round trip
// (a bare GET). A flight no other process joins costs its leader an ACQUIRE script before fn and a SETTLE
// script after it; the callers do not wait for SETTLE, but the next flight on the connection queues behind it.
// The protocol's own floor is those two scripts sent directly by the same client (EVALSHA, ACQUIRE awaited,
// SETTLE sent once the caller has resumed, as the package does), with nothing of the package around them.
// Callers joining a local flight add almost nothing.
import { randomUUID } from 'node:crypto';
import { RedisSharedCall } from '@shared-call/redis';
import { headline, timeAlternately } from '../lib/alternate.mjs';
import { formatNs, formatRatio, spreadNote, table, verdict } from '../lib/report.mjs';
import { targetLimit } from '../lib/targets.mjs';
// The scripts are not public API: read from the build that @shared-call/redis resolves to.
import { ACQUIRE, SETTLE } from '../../packages/redis/dist/esm/scripts.js';
import { flightNames } from '../../packages/redis/dist/esm/names.js';

const CALLERS = 100;

/** ACQUIRE then SETTLE of one flight by EVALSHA, straight from `redis`: the floor of the package's protocol. */
async function scriptsAlone(redis) {
  const [acquire, settle] = [await redis.script('LOAD', ACQUIRE), await redis.script('LOAD', SETTLE)];
  let flight = 0;
  return async () => {
    const names = flightNames('bench-floor', `f:${flight++}`);
    const keys = [names.lease, names.result, names.fence, names.waiters];
    const token = randomUUID();
    const [, fence] = await redis.evalsha(acquire, 4, ...keys, token, '5000', '', '0', '10000');
    process.nextTick(() => {
      const body = '{"t":"ok","v":"v"}';
      const args = [token, fence, body, '5000', names.channel, '4096', '{"t":"retry"}', 'PUBLISH'];
      redis.evalsha(settle, 4, ...keys, ...args).catch(() => {}); // not awaited, as the package's SETTLE
    });
    return 'v';
  };
}

export async function latencySection(redis) {
  const sc = new RedisSharedCall({ redis, namespace: 'bench-latency' });
  let flight = 0;
  const one = () => 'v';
  const tasks = [
    { name: 'bare Redis GET round trip', fn: () => redis.get('bench:absent'), calls: 1 },
    { name: 'floor: ACQUIRE and SETTLE sent directly (EVALSHA)', fn: await scriptsAlone(redis), calls: 1 },
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
  const times = await timeAlternately(tasks, { time: 500 });
  await sc.close();
  const [get, floor, whole, many] = tasks.map(({ name }) => name);
  const rows = tasks.map(({ name }) => [name, formatNs(times.median(name)), name === get ? '1.00x' : formatRatio(times.ratio(name, get))]);
  const floorRatio = times.ratio(floor, get);
  const flightRatio = times.ratio(whole, get);
  const overFloor = times.ratio(whole, floor);
  const perCallerRatio = times.ratio(many, get);
  return {
    markdown: [
      '### Coalesced call latency vs a bare Redis GET (per call, Redis on 127.0.0.1)',
      '',
      table(['what', 'time per call', 'vs GET'], rows),
      '',
      spreadNote(times.rounds),
      `A flight on Redis costs ${verdict(flightRatio, targetLimit('redis-flight'))} a GET round trip for its leader; the`,
      `protocol's two scripts alone cost ${formatRatio(floorRatio)}, so the package adds ${formatRatio(overFloor)}`,
      `of that floor. With ${CALLERS} callers per flight each caller pays ${formatRatio(perCallerRatio)} of one GET.`,
    ].join('\n'),
    headline: [
      headline('redis flight / GET', flightRatio, { target: 'redis-flight' }),
      headline('redis flight / its two scripts alone', overFloor),
      headline('redis ACQUIRE+SETTLE alone / GET', floorRatio),
      headline(`redis per caller (${CALLERS}/flight) / GET`, perCallerRatio),
    ],
  };
}
