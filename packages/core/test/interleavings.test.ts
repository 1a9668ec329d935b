import fc from 'fast-check';
import { AsyncSharedCall } from '@shared-call/core';
import { deferred, tick, within } from './helpers';

/**
 * Random schedules of calls, settlements, forgets and aborts over a few keys, checked against a model of the
 * semantics: which flight each caller joins, what it receives, how often fn runs, and the stats.
 */
type Op =
  | { kind: 'call'; key: string; cancellable: boolean }
  | { kind: 'settle'; pick: number; ok: boolean }
  | { kind: 'forget'; key: string }
  | { kind: 'abort'; pick: number };

const key = fc.constantFrom('a', 'b', 'c');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('call' as const), key, cancellable: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('settle' as const), pick: fc.nat(), ok: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forget' as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
);

interface ModelFlight {
  id: number;
  key: string;
  gate: ReturnType<typeof deferred<string>>;
  waiting: number;
  settled: boolean;
  abandoned: boolean;
}
interface ModelCaller {
  flight: ModelFlight;
  promise: Promise<string>;
  controller?: AbortController;
  aborted: boolean;
}

async function runSchedule(ops: Op[]) {
  const sc = new AsyncSharedCall();
  const current = new Map<string, ModelFlight>();
  const flights: ModelFlight[] = [];
  const callers: ModelCaller[] = [];
  let hits = 0;
  let errors = 0;
  let executions = 0;

  const settle = async (flight: ModelFlight, ok: boolean) => {
    if (ok) flight.gate.resolve(`value-${flight.id}`);
    else flight.gate.reject(new Error(`error-${flight.id}`));
    await tick();
    flight.settled = true;
    if (!ok && !flight.abandoned) errors++;
    if (current.get(flight.key) === flight) current.delete(flight.key);
  };

  for (const o of ops) {
    if (o.kind === 'call') {
      let flight = current.get(o.key);
      if (flight) hits++;
      else {
        flight = { id: flights.length, key: o.key, gate: deferred<string>(), waiting: 0, settled: false, abandoned: false };
        flights.push(flight);
        current.set(o.key, flight);
      }
      flight.waiting++;
      const controller = o.cancellable ? new AbortController() : undefined;
      const target = flight;
      const promise = sc.call(
        o.key,
        () => {
          executions++;
          return target.gate.promise;
        },
        { signal: controller?.signal },
      );
      promise.catch(() => undefined);
      callers.push({ flight, promise, controller, aborted: false });
    } else if (o.kind === 'settle') {
      const open = flights.filter((f) => !f.settled);
      if (open.length > 0) await settle(open[o.pick % open.length], o.ok);
    } else if (o.kind === 'forget') {
      expect(sc.forget(o.key)).toBe(current.delete(o.key));
    } else {
      const abortable = callers.filter((c) => c.controller && !c.aborted && !c.flight.settled);
      if (abortable.length === 0) continue;
      const caller = abortable[o.pick % abortable.length];
      caller.aborted = true;
      caller.controller!.abort(new Error('aborted'));
      if (--caller.flight.waiting === 0) {
        caller.flight.abandoned = true;
        if (current.get(caller.flight.key) === caller.flight) current.delete(caller.flight.key);
      }
    }
    const live = flights.filter((f) => !f.settled && !f.abandoned).length;
    expect(sc.getStats()).toMatchObject({ hits, misses: flights.length, active: live });
  }
  for (const f of flights) if (!f.settled) await settle(f, true);

  expect(executions).toBe(flights.length);
  for (const caller of callers) {
    const outcome = await within(caller.promise.then((v) => v, (e: Error) => e.message));
    const id = caller.flight.id;
    if (caller.aborted) expect(outcome).toBe('aborted');
    else expect([`value-${id}`, `error-${id}`]).toContain(outcome);
  }
  expect(sc.getStats()).toMatchObject({ hits, misses: flights.length, errors, active: 0 });
}

test('random schedules of call / settle / forget / abort match the model', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), runSchedule),
    { numRuns: 300 },
  );
});

test('every caller of a flight receives the value of the flight it joined, in random call/settle order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.nat(9), fc.nat(3)), { minLength: 1, maxLength: 1500 }), async (plan) => {
      const sc = new AsyncSharedCall();
      const gates = new Map<number, ReturnType<typeof deferred<object>>>();
      let runs = 0;
      const calls = plan.map(([k, delay]) =>
        sc.call(`k${k}`, async () => {
          runs++;
          for (let i = 0; i < delay; i++) await tick();
          const gate = deferred<object>();
          gates.set(k, gate);
          gate.resolve({ k });
          return gate.promise;
        }),
      );
      const results = await within(Promise.all(calls));
      const distinct = new Set(plan.map(([k]) => k)).size;
      expect(runs).toBe(distinct);
      plan.forEach(([k], i) => expect(results[i]).toBe(results[plan.findIndex(([j]) => j === k)]));
    }),
    { numRuns: 50 },
  );
});
