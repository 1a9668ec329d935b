import { AsyncLocalStorage } from 'node:async_hooks';
import * as dc from 'node:diagnostics_channel';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { AsyncSharedCall, CHANNELS, type FlightContext } from '../src/index.js';
import { recordDiagnostics } from '@shared-call/test-utils';
import { deferred, within } from './helpers.js';

/** Records the flight events and the joins and abandons published in this thread, until `stop()`. */
const record = () => recordDiagnostics(['join', 'abandon']);

describe('diagnostics channels (core)', () => {
  test('10 concurrent callers: one flight trace, 9 joins pointing at it, settle info before callers resume', async () => {
    const seen = record();
    try {
      const sc = new AsyncSharedCall();
      const gate = deferred<string>();
      const calls = Array.from({ length: 10 }, () => sc.call('k', () => gate.promise));
      expect(seen.events.map(([name]) => name)).toEqual(['start', 'end']);
      gate.resolve('v');
      const resumed = Promise.all(calls).then(() => seen.events.map(([name]) => name));
      expect(await within(resumed)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      const context = seen.events[0]![1];
      expect(seen.events.every(([, c]) => c === context)).toBe(true);
      expect(context).toMatchObject({ key: 'k', scope: 'process', shared: true, callers: 10, result: 'v' });
      expect(seen.of('join')).toHaveLength(9);
      expect(seen.of('join').every((j) => j.key === 'k' && j.scope === 'process' && j.flight === context)).toBe(true);
    } finally {
      seen.stop();
    }
  });

  test('a failing fn publishes error with the thrown value, for sync throws and rejections alike', async () => {
    const seen = record();
    try {
      const sc = new AsyncSharedCall();
      const thrown = new Error('boom');
      await expect(sc.call('sync', () => { throw thrown; })).rejects.toBe(thrown);
      await expect(sc.call('async', async () => { throw thrown; })).rejects.toBe(thrown);
      for (const key of ['sync', 'async']) {
        const names = seen.events.filter(([, c]) => c.key === key).map(([name]) => name);
        expect(names).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
      }
      expect(seen.events.filter(([name]) => name === 'error').every(([, c]) => c.error === thrown)).toBe(true);
    } finally {
      seen.stop();
    }
  });

  test('fn runs inside the stores subscribers bound to start (runStores)', async () => {
    const store = new AsyncLocalStorage<number>();
    const start = dc.channel(`tracing:${CHANNELS.flight}:start`);
    start.bindStore(store, (context) => (context as FlightContext).id);
    try {
      const sc = new AsyncSharedCall();
      let inside: number | undefined;
      await sc.call('bound', async () => {
        await null;
        inside = store.getStore();
      });
      expect(typeof inside).toBe('number');
    } finally {
      start.unbindStore(store);
    }
  });

  test('an abandoning caller is named by the same waiter object as its join; the last one is marked', async () => {
    const seen = record();
    try {
      const sc = new AsyncSharedCall();
      const gate = deferred();
      const leader = new AbortController();
      const follower = new AbortController();
      const calls = [leader, follower].map((c) => sc.call('a', () => gate.promise, { signal: c.signal }).catch((e) => e));
      follower.abort('bye');
      leader.abort('bye too');
      await within(Promise.all(calls));
      expect(seen.of('join')).toHaveLength(1);
      expect(seen.of('abandon').map((a) => [a.reason, a.last])).toEqual([['bye', false], ['bye too', true]]);
      expect(seen.of('abandon')[0]!.waiter).toBe(seen.of('join')[0]!.waiter);
      expect(seen.of('abandon')[1]!.waiter).not.toBe(seen.of('join')[0]!.waiter);
      gate.resolve(1);
    } finally {
      seen.stop();
    }
  });

  test('forget and forgetAll are published', () => {
    const messages: unknown[] = [];
    const listener = (m: unknown) => messages.push(m);
    dc.subscribe(CHANNELS.forget, listener);
    try {
      const sc = new AsyncSharedCall();
      sc.forget('x');
      sc.forgetAll();
      expect(messages).toEqual([{ key: 'x', scope: 'process' }, { key: undefined, scope: 'process' }]);
    } finally {
      dc.unsubscribe(CHANNELS.forget, listener);
    }
  });

  test('one trace per execution and one join per other call, for any schedule of calls', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.boolean()), { maxLength: 30 }), async (plan) => {
        const sc = new AsyncSharedCall();
        let executions = 0;
        const gates: ReturnType<typeof deferred>[] = [];
        const run = () => {
          executions++;
          const gate = deferred();
          gates.push(gate);
          return gate.promise;
        };
        const live = record();
        try {
          const calls = plan.map(([key, settleNow]) => {
            const call = sc.call(key, run);
            if (settleNow) gates.forEach((g) => g.resolve(key));
            return call;
          });
          gates.forEach((g) => g.resolve(0));
          await within(Promise.all(calls));
          await new Promise((r) => setImmediate(r));
          const starts = live.events.filter(([name]) => name === 'start').length;
          const ends = live.events.filter(([name]) => name === 'asyncEnd').length;
          expect([starts, ends]).toEqual([executions, executions]);
          expect(live.of('join')).toHaveLength(plan.length - executions);
        } finally {
          live.stop();
        }
      }),
      { numRuns: 50 },
    );
  });

  test('core imports no Node built-in statically (it must bundle for browsers)', () => {
    const dir = join(__dirname, '../src');
    // Only the Node entry's content hashing may use node:crypto; browsers never load it (test/consumer bundles them).
    const nodeOnly = new Set(['node-content-hash.ts']);
    for (const file of readdirSync(dir).filter((name) => !nodeOnly.has(name))) {
      const source = readFileSync(join(dir, file), 'utf8');
      const imports = [...source.matchAll(/^import (?!type )[^;]*from '([^']+)'/gm)].map((m) => m[1]);
      expect(imports.filter((name) => name!.startsWith('node:') || ['diagnostics_channel', 'async_hooks'].includes(name!))).toEqual([]);
    }
  });
});
