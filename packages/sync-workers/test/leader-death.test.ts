import fc from 'fast-check';
import { SharedCall } from '@shared-call/sync-workers';
import { Callers, withCallers, until, within, type CallRequest } from './helpers';
import { isEmpty } from './table-state';

// A leader's thread dies mid-flight; the thread that owns its Worker watches it, so the waiters are released
// and one of them runs fn again, within 100 ms of the death.
describe('leader death', () => {
  let sc: SharedCall;
  let callers: Callers;
  beforeEach(async () => {
    sc = new SharedCall();
    callers = await new Callers().start(3, sc.handle);
    for (const worker of callers.workers) sc.watch(worker);
  });
  afterEach(() => callers.close());

  /**
   * Worker 0 leads `key` with `doomed`; workers 1 and 2 join with a fn that works; `kill` ends worker 0.
   * Checks that exactly one waiter re-runs fn within 100 ms of worker 0's exit and both get its value.
   */
  async function survive(doomed: CallRequest, kill: () => unknown) {
    const leader = callers.call(0, { ...doomed, arg: { gate: callers.nextGate() } }).catch((error: Error) => error);
    await callers.entries(1);
    const rescue = { key: doomed.key, behaviour: 'slow', arg: { ms: 100, value: 'rerun' } };
    const waiters = Promise.all([callers.call(1, rescue), callers.call(2, rescue)]);
    waiters.catch(() => {}); // asserted below; must not go unhandled if an earlier step fails
    await until(() => sc.getStats().hits === 2, 5000, 'both waiters joined');
    let exitedAt = 0;
    const exited = new Promise((resolve) => callers.workers[0]!.once('exit', resolve)).then(() => (exitedAt = performance.now()));
    kill();
    await within(exited, 10_000, 'leader exit');
    await callers.entries(2);
    const rescuedAfter = performance.now() - exitedAt;
    const replies = await waiters;
    expect(await leader).toBeInstanceOf(Error);
    expect(replies.map((reply) => reply.value)).toEqual(['rerun', 'rerun']);
    expect(replies.map((reply) => reply.shared)).toEqual([true, true]);
    expect(callers.executions).toBe(2);
    expect(rescuedAfter).toBeLessThan(100);
    expect(sc.getStats()).toMatchObject({ active: 0, misses: 2, hits: 1 });
    expect(isEmpty(sc)).toBe(true);
  }

  test('worker.terminate() while leading', async () => {
    await survive({ key: 'terminated', behaviour: 'hang' }, () => callers.workers[0]!.terminate());
  });

  test('process.exit() inside fn', async () => {
    await survive({ key: 'exited', behaviour: 'exit' }, () => callers.openGate());
  });

  test('an uncaught exception while an async leader awaits', async () => {
    await survive({ key: 'crashed', behaviour: 'crashAsync', method: 'callAsync' }, () => callers.openGate());
  });

  test('a waiter killed while waiting: its ref is dropped, so the slot and its result buffer are freed', async () => {
    const request = { key: 'waiter-killed', behaviour: 'bytes', arg: { ms: 400, size: 20_000 } };
    const leader = callers.call(0, request);
    await callers.entries(1);
    callers.call(1, request).catch(() => {});
    const survivor = callers.call(2, request);
    await until(() => sc.getStats().hits === 2, 5000, 'both waiters joined');
    await callers.workers[1]!.terminate();
    const replies = await Promise.all([leader, survivor]);
    expect(replies.map((reply) => reply.value.length)).toEqual([20_000, 20_000]);
    await until(() => isEmpty(sc), 2000, 'every slot and result buffer free');
  });

  test('a leader killed after its waiters timed out leaves nothing behind', async () => {
    callers.call(0, { key: 'lonely', behaviour: 'hang' }).catch(() => {});
    await callers.entries(1);
    const reply = await callers.call(1, { key: 'lonely', behaviour: 'value', arg: { value: 1 }, options: { timeoutMs: 50 } });
    expect(reply.error).toMatchObject({ name: 'TimeoutError' });
    await callers.workers[0]!.terminate();
    await until(() => sc.getStats().active === 0, 5000, 'flight released');
    expect(await callers.call(2, { key: 'lonely', behaviour: 'value', arg: { value: 2 } })).toMatchObject({ value: 2, shared: false });
  });
});

describe('leader death, randomized (fast-check)', () => {
  test('any kill, any moment, 1 or 2 waiters: every waiter gets the re-run value and the table ends empty', async () => {
    const scenario = fc.record({
      kill: fc.constantFrom('terminate', 'exit'),
      delayMs: fc.integer({ min: 0, max: 80 }),
      waiters: fc.integer({ min: 1, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ kill, delayMs, waiters }) => {
        await withCallers(1 + waiters, undefined, async (callers, sc) => {
          for (const worker of callers.workers) sc.watch(worker);
          const doomed = { behaviour: kill === 'exit' ? 'exit' : 'hang', arg: { gate: callers.nextGate() } };
          callers.call(0, { key: 'k', ...doomed }).catch(() => {});
          await callers.entries(1);
          const rescue = { key: 'k', behaviour: 'slow', arg: { ms: 20, value: 'rerun' } };
          const replies = Promise.all(Array.from({ length: waiters }, (_, i) => callers.call(1 + i, rescue)));
          replies.catch(() => {});
          // Killed only once every waiter has joined: a waiter that arrives after the rescue flight settled
          // rightly starts a flight of its own (nothing is cached), which would be a third execution.
          await until(() => sc.getStats().hits === waiters, 5000, 'every waiter joined');
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          if (kill === 'terminate') await callers.workers[0]!.terminate();
          else callers.openGate();
          expect((await replies).map((reply) => reply.value)).toEqual(Array(waiters).fill('rerun'));
          expect(callers.executions).toBe(2);
          await until(() => isEmpty(sc), 2000, 'table empty');
        });
      }),
      { numRuns: 10 },
    );
  }, 60_000);
});

describe('leader death without watch', () => {
  test('waiters are bounded by timeoutMs', async () => {
    await withCallers(2, undefined, async (callers) => {
      callers.call(0, { key: 'k', behaviour: 'hang' }).catch(() => {});
      await callers.entries(1);
      await callers.workers[0]!.terminate();
      const reply = await callers.call(1, { key: 'k', behaviour: 'value', arg: { value: 1 }, options: { timeoutMs: 150 } });
      expect(reply.error).toMatchObject({ dom: true, name: 'TimeoutError' });
      expect(reply.ms).toBeLessThan(1000);
    });
  });
});
