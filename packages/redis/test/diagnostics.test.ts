import * as dc from 'node:diagnostics_channel';
import { CHANNELS, type FlightContext, type JoinMessage, type RemoteWait } from '@shared-call/core';
import { flightNames } from '../src/names.js';
import { client, closeAll, coalescer, deferred, freshNamespace, leaseHolder } from './helpers';

afterEach(closeAll);

/** Records flight and remote-wait events and joins; `traceparent` is set at flight start as a subscriber would. */
function record(traceparent?: string) {
  const events: [string, FlightContext | RemoteWait][] = [];
  const joins: JoinMessage[] = [];
  const flight = dc.tracingChannel<unknown, FlightContext>(CHANNELS.flight);
  const wait = dc.tracingChannel<unknown, RemoteWait>(CHANNELS.remoteWait);
  const on = (prefix: string) => ({
    start: (c: any) => {
      events.push([`${prefix}:start`, c]);
      if (prefix === 'flight' && traceparent !== undefined) c.traceparent = traceparent;
    },
    end: (c: any) => events.push([`${prefix}:end`, c]),
    asyncStart: () => {},
    asyncEnd: (c: any) => events.push([`${prefix}:asyncEnd`, c]),
    error: (c: any) => events.push([`${prefix}:error`, c]),
  });
  const handlers = { flight: on('flight'), wait: on('wait') };
  const onJoin = (m: unknown) => joins.push(m as JoinMessage);
  flight.subscribe(handlers.flight);
  wait.subscribe(handlers.wait);
  dc.subscribe(CHANNELS.join, onJoin);
  return {
    events,
    joins,
    names: () => events.map(([name]) => name),
    stop() {
      flight.unsubscribe(handlers.flight);
      wait.unsubscribe(handlers.wait);
      dc.unsubscribe(CHANNELS.join, onJoin);
    },
  };
}

describe('diagnostics channels (redis)', () => {
  test('one flight trace across two processes; local joins and the remote wait are joins; traceparent travels', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const seen = record(traceparent);
    try {
      const namespace = freshNamespace();
      const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
      const gate = deferred<string>();
      let executions = 0;
      const fn = () => (executions++, gate.promise);
      const leaders = [a.call('k', fn), a.call('k', fn), a.call('k', fn)];
      const token = await leaseHolder(namespace, 'k');
      const stored = client();
      for (let i = 0; i < 200 && (await stored.get(flightNames(namespace, 'k').trace)) === null; i++) await new Promise((r) => setTimeout(r, 5));
      expect(await stored.get(flightNames(namespace, 'k').trace)).toBe(`${token} ${traceparent}`);
      const follower = b.call('k', fn);
      for (let i = 0; i < 400 && !seen.joins.some((j) => j.leader !== undefined); i++) await new Promise((r) => setTimeout(r, 5));
      gate.resolve('v'); // b waits for a's flight now (its join is published once ACQUIRE named the holder)
      expect(await Promise.all([...leaders, follower])).toEqual(['v', 'v', 'v', 'v']);
      expect(executions).toBe(1);
      expect(seen.names().filter((n) => n.startsWith('flight'))).toEqual(['flight:start', 'flight:end', 'flight:asyncEnd']);
      const flight = seen.events[0]![1] as FlightContext;
      expect(flight).toMatchObject({ key: 'k', scope: 'redis', token, takeover: false, result: 'v' });
      const remote = seen.events.find(([name]) => name === 'wait:start')![1] as RemoteWait;
      expect(remote.leader).toEqual({ token, traceparent });
      expect(seen.names()).toContain('wait:asyncEnd');
      expect(seen.joins.map((j) => [j.scope, j.leader?.token])).toEqual([['redis', undefined], ['redis', undefined], ['redis', token]]);
    } finally {
      seen.stop();
    }
  });

  test('a failing fn publishes error with the thrown value; a fallback execution is traced too', async () => {
    const seen = record();
    try {
      const sc = coalescer({ namespace: freshNamespace() });
      const thrown = new Error('boom');
      await expect(sc.call('k', async () => { throw thrown; })).rejects.toBe(thrown);
      const errors = seen.events.filter(([name]) => name === 'flight:error');
      expect(errors.map(([, c]) => c.error)).toEqual([thrown]);

      const down = coalescer({ redis: { eval: () => Promise.reject(new Error('no redis')), subscriber: () => Promise.reject(new Error('no')) } });
      expect(await down.call('k', () => 'local')).toBe('local');
      expect(seen.events.filter(([name]) => name === 'flight:start').map(([, c]) => (c as FlightContext).fallback === true)).toEqual([false, true]);
    } finally {
      seen.stop();
    }
  });

  test('no trace key is written while nobody listens', async () => {
    const namespace = freshNamespace();
    await coalescer({ namespace }).call('quiet', async () => 1);
    expect(await client().get(flightNames(namespace, 'quiet').trace)).toBeNull();
  });

  test("forget and a caller's abandon are published with the scope redis", async () => {
    const messages: [string, unknown][] = [];
    const on = (name: string) => (m: unknown) => messages.push([name, m]);
    const listeners = [[CHANNELS.forget, on('forget')], [CHANNELS.abandon, on('abandon')]] as const;
    for (const [channel, listener] of listeners) dc.subscribe(channel, listener);
    try {
      const sc = coalescer({ namespace: freshNamespace() });
      const gate = deferred<string>();
      const leaving = new AbortController();
      const staying = sc.call('k', () => gate.promise);
      const left = sc.call('k', () => gate.promise, { signal: leaving.signal }).catch((e: unknown) => e);
      leaving.abort('gone');
      expect(await left).toBe('gone');
      sc.forget('k');
      gate.resolve('v');
      expect(await staying).toBe('v');
      expect(messages).toEqual([
        ['abandon', expect.objectContaining({ key: 'k', scope: 'redis', reason: 'gone', last: false })],
        ['forget', { key: 'k', scope: 'redis' }],
      ]);
    } finally {
      for (const [channel, listener] of listeners) dc.unsubscribe(channel, listener);
    }
  });
});
