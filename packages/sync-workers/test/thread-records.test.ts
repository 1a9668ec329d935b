import { SharedCall } from '@shared-call/sync-workers';
import { threadId } from 'node:worker_threads';
import { CELLS_OFFSET, HEADER, RECORD, TRACKED_THREADS, threadCell } from '../src/table/layout';
import { Callers, until, within } from './helpers';
import { tableIsEmpty } from './table-state';

// Issue 8 item 3: thread records must not run out however many threads come and go. Before the fix, each
// thread that ever joined a flight kept one of the 64 records forever; once they were all taken, cycle
// detection stopped (an a↔b cycle waited out timeoutMs) and the refs of watched waiters that died leaked.
describe('thread records', () => {
  test(`after ${TRACKED_THREADS + 1} threads joined a flight and exited unwatched, cycles are still refused and a watched waiter's death is still reaped`, async () => {
    const sc = new SharedCall({ timeoutMs: 8000 });
    const batch = 13;
    for (let started = 0; started <= TRACKED_THREADS; started += batch) {
      const callers = await new Callers().start(batch, sc.handle);
      try {
        let release!: () => void;
        const held = sc.callAsync('hold', () => new Promise<string>((resolve) => (release = () => resolve('held'))));
        const hits = sc.getStats().hits;
        const joins = callers.workers.map((_, i) => callers.call(i, { key: 'hold', behaviour: 'value', arg: { value: 'own' } }));
        await until(() => sc.getStats().hits === hits + batch, 10_000, 'every worker joined');
        release();
        expect((await Promise.all(joins)).map((reply) => reply.value)).toEqual(Array(batch).fill('held'));
        expect(await held).toBe('held');
      } finally {
        await callers.close(); // exits with no watch(): nobody reaps these threads
      }
    }
    expect(tableIsEmpty(sc)).toEqual({ slots: true, buffers: true, records: true });

    const callers = await new Callers().start(3, sc.handle);
    try {
      // a↔b: worker 0 leads a and calls b; worker 1 leads b and calls a. The second call must be refused at once.
      const [gateA, gateB] = [callers.nextGate(), callers.nextGate()];
      const a = callers.call(0, { key: 'a', behaviour: 'reenter', arg: { key: 'b', gate: gateA } });
      const b = callers.call(1, { key: 'b', behaviour: 'reenter', arg: { key: 'a', gate: gateB } });
      await callers.entries(2);
      const hits = sc.getStats().hits;
      callers.openGate(); // worker 0 now blocks on b
      await until(() => sc.getStats().hits === hits + 1, 5000, 'worker 0 waits for b');
      callers.openGate(); // worker 1 calls a: closes the cycle
      const replies = await within(Promise.all([a, b]), 20_000, 'the cycle');
      for (const reply of replies) expect(reply.error).toMatchObject({ name: 'ReentrantCallError' });
      expect(replies[1]!.ms).toBeLessThan(4000); // refused, not timed out (timeoutMs is 8000)

      // A watched waiter killed while waiting: its ref is dropped, so the slot is freed.
      sc.watch(callers.workers[2]!);
      let release!: () => void;
      const held = sc.callAsync('watched', () => new Promise<string>((resolve) => (release = () => resolve('v'))));
      const joined = sc.getStats().hits;
      callers.call(2, { key: 'watched', behaviour: 'value', arg: { value: 'x' } }).catch(() => {});
      await until(() => sc.getStats().hits === joined + 1, 5000, 'worker 2 joined');
      await callers.workers[2]!.terminate();
      release();
      expect(await held).toBe('v');
      await until(() => tableIsEmpty(sc).slots && tableIsEmpty(sc).records, 3000, 'the dead waiter reaped');
    } finally {
      await callers.close();
    }
  }, 120_000);

  test('instances in one thread share its one record, found wherever it is, and give it back with their last ref', async () => {
    const sc = new SharedCall();
    const twin = SharedCall.attach(sc.handle);
    const cells = new Int32Array(sc.handle.control, CELLS_OFFSET);
    const records = () =>
      Array.from({ length: TRACKED_THREADS }, (_, i) => threadCell(cells[HEADER.SLOTS]!, i)).filter(
        (cell) => Atomics.load(cells, cell + RECORD.THREAD) === threadId + 1,
      );
    // The record this thread would take first is someone else's: its record lands elsewhere, where the other
    // instance, which never took it, must find it.
    const taken = threadCell(cells[HEADER.SLOTS]!, (threadId + 1) % TRACKED_THREADS) + RECORD.THREAD;
    Atomics.store(cells, taken, 0x7fff_0000);
    try {
      let release!: () => void;
      const led = sc.callAsync('k', () => new Promise<string>((resolve) => (release = () => resolve('led'))));
      const joins = [twin.callAsync('k', () => 'twin'), sc.callAsync('k', () => 'own'), twin.callAsync('k', () => 'twin')];
      const [record, ...others] = records();
      expect(others).toEqual([]);
      expect(Atomics.load(cells, record! + RECORD.HELD)).toBe(3);
      release();
      expect(await Promise.all([led, ...joins])).toEqual(['led', 'led', 'led', 'led']);
      expect(records()).toEqual([]);
    } finally {
      Atomics.store(cells, taken, 0);
    }
    expect(tableIsEmpty(sc)).toEqual({ slots: true, buffers: true, records: true });
  });
});
