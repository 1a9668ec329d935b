// A waiter in another process: from the moment the leader's fn returns its value to the moment the waiting
// process's call returns it, against the floor every Redis hand-over pays: a raw PUBLISH → message hop between
// the same two processes (ioredis on both ends), and against the protocol's own floor: the SETTLE script
// (store, release, publish) sent directly → message. The three are measured in turn, sample by sample, in RUNS
// runs; each run's ratio is median(waiter) / median(raw hop), and the section shows the median and the spread
// of those ratios. The waiter is waiting before the leader's fn returns (its second ACQUIRE, sent once
// subscribed, answered "held"), so what is timed is SETTLE, the message, the waiter's decoding and its
// caller's wake-up; the leader sends SETTLE once its own callers have resumed.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RedisSharedCall } from '@shared-call/redis';
import { headline, summarize } from '../lib/alternate.mjs';
import { formatRatio, table, verdict } from '../lib/report.mjs';
import { targetLimit } from '../lib/targets.mjs';
// Names and scripts are not public API: read from the build that @shared-call/redis resolves to.
import { flightNames } from '../../packages/redis/dist/esm/names.js';
import { SETTLE } from '../../packages/redis/dist/esm/scripts.js';

const { deferred, median } = createRequire(import.meta.url)('../../test/support/helpers.cjs');
const RUNS = 7;
const SAMPLES = 40;
const WARMUP = 10;
const child = fileURLToPath(new URL('./waiter-process.mjs', import.meta.url));
const now = () => Number(process.hrtime.bigint()) / 1000; // µs, CLOCK_MONOTONIC as in the waiter process

export async function waiterSection(redis, port) {
  const namespace = `bench-waiter-${process.pid}`;
  const sc = new RedisSharedCall({ redis, namespace });
  const waiter = fork(child, [JSON.stringify({ port, namespace })], { stdio: 'inherit' });
  /** The waiter process's next message that has `field`. */
  const next = (field) =>
    new Promise((resolve) => {
      const listener = (message) => {
        if (!(field in message)) return;
        waiter.off('message', listener);
        resolve(message);
      };
      waiter.on('message', listener);
    });
  let sample = 0;
  /** µs from the leader's fn returning to the waiter's call returning. */
  const flight = async () => {
    const key = `k${sample++}`;
    const gate = deferred();
    let returnedAt = 0;
    const leading = sc.call(key, async () => {
      await gate.promise;
      returnedAt = now();
      return 'from the leader';
    });
    const { lease } = flightNames(namespace, key);
    for (let i = 0; (await redis.exists(lease)) === 0; i++) if (i > 5000) throw new Error('no lease');
    const waiting = next('waiting');
    const returned = next('returned');
    waiter.send({ flight: key });
    await waiting;
    gate.resolve();
    await leading;
    const { returned: at, value } = await returned;
    if (value !== 'from the leader') throw new Error(`the waiter did not receive the leader's value: ${value}`);
    return at - returnedAt;
  };
  const settle = await redis.script('LOAD', SETTLE);
  const body = '{"t":"ok","v":"from the leader"}';
  /** µs from `send(channel)` being called to the waiter process's message handler; `prepare` runs before. */
  const hopBy = (send, prepare = async () => {}) => async () => {
    const channel = `bench-waiter-raw:${sample++}`;
    const ready = next('ready');
    waiter.send({ listen: channel });
    await Promise.all([ready, prepare(channel)]);
    const received = next('received');
    const sentAt = now();
    await send(channel);
    return (await received).received - sentAt;
  };
  /** A raw PUBLISH. */
  const hop = hopBy((channel) => redis.publish(channel, body));
  /** The SETTLE script sent directly: it releases the lease (set by `prepare`), stores the body and publishes it. */
  const scriptNames = (channel) => flightNames(namespace, channel);
  const scriptHop = hopBy(
    (channel) => {
      const names = scriptNames(channel);
      const keys = [names.lease, names.result, names.fence, names.waiters];
      return redis.evalsha(settle, 4, ...keys, 'token', '', body, '5000', channel, '4096', '{"t":"retry"}', 'PUBLISH');
    },
    (channel) => redis.set(scriptNames(channel).lease, 'token', 'PX', 5000),
  );
  try {
    await next('ready');
    const kinds = { flight, hop, scriptHop };
    for (let i = 0; i < WARMUP; i++) for (const measure of Object.values(kinds)) await measure();
    const runs = [];
    for (let run = 0; run < RUNS; run++) {
      const samples = { flight: [], hop: [], scriptHop: [] };
      const order = Object.keys(kinds);
      for (let i = 0; i < SAMPLES; i++) {
        // In turn, each round starting one further, so no kind always follows the same other one.
        for (let j = 0; j < order.length; j++) {
          const kind = order[(i + j) % order.length];
          samples[kind].push(await kinds[kind]());
        }
      }
      const [waiterUs, hopUs, scriptUs] = [median(samples.flight), median(samples.hop), median(samples.scriptHop)];
      runs.push({ waiterUs, hopUs, scriptUs, ratio: waiterUs / hopUs, overScript: waiterUs / scriptUs });
    }
    const ratio = summarize(runs.map((r) => r.ratio));
    const overScript = summarize(runs.map((r) => r.overScript));
    const us = (value) => `${value.toFixed(0)} µs`;
    const rows = runs.map((r, i) => [String(i + 1), us(r.waiterUs), us(r.hopUs), us(r.scriptUs), formatRatio(r.ratio), formatRatio(r.overScript)]);
    const note = [
      `Medians of ${SAMPLES} samples per run, measured in turn. Median over ${RUNS} runs: the waiter costs`,
      `**${verdict(ratio, targetLimit('redis-waiter-hop'))}** a raw PUBLISH hop (min–max over the runs in brackets)`,
      `and ${formatRatio(overScript)} the protocol's own floor, the SETTLE script sent directly:`,
      'what is beyond that floor is the microtasks around SETTLE in both processes (the leader’s callers resume',
      'first; the waiter decodes the value and resumes its callers).',
    ];
    const heading = '### A waiter in another process: the leader’s value to the waiter’s call returning, vs a raw PUBLISH → message hop';
    return {
      markdown: [heading, '', table(['run', 'waiter', 'raw PUBLISH hop', 'SETTLE script hop', 'waiter / PUBLISH hop', 'waiter / SETTLE hop'], rows), '', ...note].join('\n'),
      headline: [
        headline('redis waiter in another process / raw PUBLISH hop', ratio, { target: 'redis-waiter-hop' }),
        headline('redis waiter in another process / SETTLE script hop', overScript),
      ],
    };
  } finally {
    const exited = new Promise((resolve) => waiter.once('exit', resolve));
    waiter.send({ stop: true });
    await exited;
    await sc.close();
  }
}
