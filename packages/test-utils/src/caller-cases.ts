import type { SharedCallStats } from '@shared-call/core';
import fc from 'fast-check';
import { Gates, MAX_CALLERS, type Callers, type Recipe, type Reply } from './callers.js';
import { until, within } from './waits.js';

/** What the cases need of a coalescer besides its callers: forget, forgetAll and stats, from the test's thread. */
export interface Observed {
  forget(key: string): boolean;
  forgetAll(): void;
  getStats(): SharedCallStats;
}

/** A fresh coalescer for one case, its callers and their gates. */
export type Arrange = () => { sc: Observed; callers: Callers; gates: Gates };

/**
 * The contract on what the callers of one flight receive, stated once: every caller receives the flight's
 * outcome — callers in the leader's thread the very same value or error object; callers in other threads a
 * structured clone of the value, or a copy of the error with the same class, message and `code` (what replies
 * describe; a blocking coalescer's callers are in other threads, so only this is checked for it).
 */
function expectOneOutcome(replies: Reply[], expected: Omit<Reply, 'raw' | 'sameThread'>): void {
  for (const reply of replies) expect(reply).toEqual({ ...reply, ...expected });
  const [first, ...others] = replies.filter((reply) => reply.sameThread);
  for (const other of others) {
    expect(other.value).toBe(first!.value);
    expect(other.raw).toBe(first!.raw);
  }
}

/** Waits until the table counts `hits` hits: callers have joined (another thread's call joins when it gets there). */
const joined = (sc: Observed, hits: number) => until(() => sc.getStats().hits >= hits, `${hits} joined callers`);

/**
 * The cases of the conformance suite that need callers waiting at once: sharing of values and errors, callers'
 * timeouts, forget during a flight, and randomized schedules checked against a model (`randomRuns` runs). The
 * same bodies run on every coalescer; a blocking one's callers are worker threads (`workerCallers`).
 */
export function describeCallerCases(arrange: Arrange, randomRuns: number): void {
  test('concurrent same-key calls share one execution, its value and its error; stats count the hits', async () => {
    const { sc, callers, gates } = arrange();
    const runs = (key: string, outcome: Recipe, expected: Omit<Reply, 'raw'>) => async () => {
      const gate = gates.next();
      const entered = gates.entered;
      const hits = sc.getStats().hits;
      const leader = callers.call(key, { ...outcome, gate });
      await gates.entries(entered + 1);
      const joiners = [1, 2].map(() => callers.call(key, { value: 'a joined call ran fn' }));
      await joined(sc, hits + 2);
      gates.open(gate);
      expectOneOutcome(await within(Promise.all([leader, ...joiners])), expected);
    };
    await runs('k', { value: { rows: [1] } }, { ok: true, value: { rows: [1] }, shared: true })();
    const error = { ctor: 'RangeError', name: 'RangeError', message: 'shared', code: 'E_SHARED' };
    await runs('e', { throw: { message: 'shared', code: 'E_SHARED' } }, { ok: false, error })();
    expect(gates.entered).toBe(2);
    expect(sc.getStats()).toMatchObject({ hits: 4, misses: 2, errors: 1, active: 0, hitRate: 4 / 6 });
  });

  test("a caller's timeout fails only that caller, with a TimeoutError; it is not an error of the flight", async () => {
    const { sc, callers, gates } = arrange();
    const gate = gates.next();
    const leader = callers.call('k', { value: 'value', gate });
    await gates.entries(1);
    const impatient = await within(callers.call('k', { value: 'must not run' }, { timeoutMs: 100 }));
    expect(impatient).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    gates.open(gate);
    expect(await within(leader)).toMatchObject({ ok: true, value: 'value' });
    expect(gates.entered).toBe(1);
    expect(sc.getStats()).toMatchObject({ hits: 1, misses: 1, errors: 0, active: 0 });
  });

  test('forget (or forgetAll) during a flight: the next call starts a new flight, the forgotten one still delivers', async () => {
    for (const forget of [(sc: Observed) => sc.forget('k'), (sc: Observed) => (sc.forgetAll(), true)]) {
      const { sc, callers, gates } = arrange();
      const [first, second] = [gates.next(), gates.next()];
      const forgotten = callers.call('k', { value: 'forgotten flight', gate: first });
      await gates.entries(1);
      expect(forget(sc)).toBe(true);
      expect(sc.forget('k')).toBe(false);
      const next = callers.call('k', { value: 'new flight', gate: second });
      await gates.entries(2); // its own fn: a new flight, not a join
      gates.open(second);
      expect(await within(next)).toMatchObject({ ok: true, value: 'new flight', shared: false });
      gates.open(first);
      expect(await within(forgotten)).toMatchObject({ ok: true, value: 'forgotten flight', shared: false });
      expect(sc.getStats()).toMatchObject({ hits: 0, misses: 2, errors: 0, active: 0 });
    }
  });

  test("randomized schedules: every call gets its own flight's value; forget, sharing and stats follow the model", async () => {
    const key = fc.constantFrom('a', 'b');
    const step = fc.oneof(
      fc.record({ op: fc.constant('call' as const), key }),
      fc.record({ op: fc.constant('forget' as const), key }),
      fc.record({ op: fc.constant('forgetAll' as const) }),
      fc.record({ op: fc.constant('settle' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 24 }), async (steps) => {
        const { sc, callers, gates } = arrange();
        /** The model: flights by id, each with its key, gate and callers; the flight of each key that new calls join. */
        const flights: { key: string; gate: number; callers: Promise<Reply>[]; settled: boolean }[] = [];
        const tracked = new Map<string, number>();
        let joins = 0;
        let waiting = 0;
        const settle = async (id: number) => {
          const flight = flights[id]!;
          flight.settled = true;
          gates.open(flight.gate);
          const replies = await within(Promise.all(flight.callers));
          waiting -= replies.length;
          expectOneOutcome(replies, { ok: true, value: { flight: id }, shared: replies.length > 1 });
          if (tracked.get(flight.key) === id) tracked.delete(flight.key);
        };
        for (const next of steps) {
          if (next.op === 'call' && waiting < MAX_CALLERS) {
            waiting++;
            let id = tracked.get(next.key);
            if (id === undefined) {
              id = flights.length;
              const flight = { key: next.key, gate: gates.next(), callers: [] as Promise<Reply>[], settled: false };
              flights.push(flight);
              tracked.set(next.key, id);
              flight.callers.push(callers.call(next.key, { value: { flight: id }, gate: flight.gate }));
              await gates.entries(flights.length);
            } else {
              joins++;
              flights[id]!.callers.push(callers.call(next.key, { value: { wrong: 'a joined call ran fn' } }));
              await joined(sc, joins);
            }
          } else if (next.op === 'forget') {
            expect(sc.forget(next.key)).toBe(tracked.delete(next.key));
          } else if (next.op === 'forgetAll') {
            sc.forgetAll();
            tracked.clear();
          } else if (next.op === 'settle') {
            const open = flights.flatMap((flight, id) => (flight.settled ? [] : [id]));
            if (open.length > 0) await settle(open[next.pick % open.length]!);
          }
          expect(sc.getStats()).toMatchObject({ hits: joins, misses: flights.length, errors: 0 });
        }
        for (const [id, flight] of flights.entries()) if (!flight.settled) await settle(id);
        expect(gates.entered).toBe(flights.length);
        expect(sc.getStats()).toMatchObject({ hits: joins, misses: flights.length, errors: 0, active: 0 });
      }),
      { numRuns: randomRuns },
    );
  });
}
