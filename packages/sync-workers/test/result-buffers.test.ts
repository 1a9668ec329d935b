import { RESULT_BUFFERS } from '../src/table/layout';
import { until, withCallers, type Callers } from './helpers';
import { tableIsEmpty } from './table-state';
import type { SharedCall } from '@shared-call/sync-workers';

const SIZE = 100_000; // too large for a slot's inline area: each shared result takes a result buffer

/** Blocks this thread for `ms` (the tests below must not let the event loop run at that point). */
function sleepBlocking(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Blocks this thread until `predicate` holds; throws after `ms`. */
function blockUntil(predicate: () => boolean, ms: number, what: string): void {
  const end = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
    sleepBlocking(2);
  }
}

/**
 * Worker 0 leads RESULT_BUFFERS flights of large results with callAsync, each held until an async gate opens;
 * `join` joins each of them. Returns the gate to open and the leaders' replies.
 */
async function largeFlights(callers: Callers, sc: SharedCall, join: (key: string) => void) {
  const asyncGate = callers.nextGate();
  const keys = Array.from({ length: RESULT_BUFFERS }, (_, i) => `large-${i}`);
  const before = callers.entered;
  const leaders = keys.map((key) =>
    callers.call(0, { key, behaviour: 'bytesAsync', method: 'callAsync', arg: { size: SIZE, asyncGate } }),
  );
  await callers.entries(before + keys.length);
  const hits = sc.getStats().hits;
  for (const key of keys) join(key);
  await until(() => sc.getStats().hits === hits + keys.length, 10_000, 'every large flight joined');
  return { keys, leaders };
}

// Issue 8 item 4: a thread's own pending callAsync joins hold every result buffer; the same thread then leads
// a blocking call whose large result must be published. Before the fix, publishing waited for a buffer that
// only this (blocked) thread could free: it ended by timeoutMs only, and never without one.
test('a thread whose own callAsync joins hold every result buffer can still publish a large result', async () => {
  await withCallers(2, undefined, async (callers, sc) => {
    const joins: Promise<unknown>[] = [];
    const { leaders } = await largeFlights(callers, sc, (key) => joins.push(sc.callAsync(key, () => 'main')));
    // From here on the event loop must not run, or the joins would read their results.
    callers.openGate();
    blockUntil(() => sc.getStats().active === 0, 10_000, 'the large flights published');
    const started = performance.now();
    let waiter!: Promise<{ value?: Uint8Array }>;
    const result = sc.call(
      'mine',
      () => {
        const hits = sc.getStats().hits;
        waiter = callers.call(1, { key: 'mine', behaviour: 'value', arg: { value: 'worker' } });
        blockUntil(() => sc.getStats().hits === hits + 1, 10_000, 'worker 1 joined');
        return new Uint8Array(SIZE).fill(9);
      },
      { timeoutMs: 5000 },
    );
    expect(performance.now() - started).toBeLessThan(4000);
    expect(result).toHaveLength(SIZE);
    expect((await waiter).value).toEqual(result);
    for (const join of await Promise.all(joins)) expect(join).toHaveLength(SIZE);
    for (const reply of await Promise.all(leaders)) expect(reply.value).toHaveLength(SIZE);
    await until(() => tableIsEmpty(sc).slots && tableIsEmpty(sc).buffers, 2000, 'table empty');
  });
}, 60_000);

// Issue 8 item 5: every result buffer is held by readers that are busy; a leader's own timeoutMs passes while it
// waits for one. Before the fix every waiter (one without a timeout too) threw TimeoutError and the leader's
// value was thrown away. Now the leader alone stops waiting and gets its own value; the flight carries on.
test('a leader whose timeout passes while publishing keeps its value; its waiters carry on', async () => {
  await withCallers(4, undefined, async (callers, sc) => {
    // Worker 1 joins every large flight with callAsync, then its event loop is kept busy, so it reads none.
    const joins: Promise<unknown>[] = [];
    const { leaders } = await largeFlights(callers, sc, (key) =>
      joins.push(callers.call(1, { key, behaviour: 'value', method: 'callAsync', arg: { value: 'w1' } })),
    );
    const entered = callers.entered;
    const busy = callers.call(1, { key: 'busy', behaviour: 'slow', arg: { ms: 2500, value: 'done' } });
    await callers.entries(entered + 1);
    callers.openGate();
    await until(() => sc.getStats().active === 1, 10_000, 'the large flights published'); // only `busy` left

    const gate = callers.nextGate();
    const request = { key: 'x', behaviour: 'bytes', arg: { size: SIZE, gate } };
    const leader = callers.call(2, { ...request, options: { timeoutMs: 200 } });
    await callers.entries(entered + 2);
    const hits = sc.getStats().hits;
    const waiter = callers.call(3, request); // no timeout
    await until(() => sc.getStats().hits === hits + 1, 10_000, 'worker 3 joined');
    callers.openGate();
    const [l, w] = await Promise.all([leader, waiter]);
    expect(l).toMatchObject({ ok: true, shared: false });
    expect(l.value).toHaveLength(SIZE);
    expect(w).toMatchObject({ ok: true });
    expect(w.value).toHaveLength(SIZE);
    expect((await busy).value).toBe('done');
    await Promise.all([...joins, ...leaders]);
    await until(() => tableIsEmpty(sc).slots && tableIsEmpty(sc).buffers, 3000, 'table empty');
  });
}, 60_000);
