import { shared } from '@shared-call/sync-workers';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Callers, coalesce, withCallers, within } from './helpers';

describe('callAsync across threads', () => {
  test('async functions in 4 threads coalesce into one execution', async () => {
    await withCallers(4, undefined, async (callers, sc) => {
      const request = { key: 'a', behaviour: 'sleepAsync', method: 'callAsync' as const, arg: { ms: 50, value: [1, 2] } };
      const replies = await coalesce(callers, sc, request, [1, 2, 3]);
      expect(replies.map((reply) => reply.value)).toEqual(Array(4).fill([1, 2]));
      expect(callers.executions).toBe(1);
    });
  });

  test('waiting with callAsync leaves the event loop running, and keeps the thread alive by itself', async () => {
    await withCallers(1, undefined, async (callers, sc) => {
      const leader = callers.call(0, { key: 'b', behaviour: 'slow', arg: { ms: 300, value: 'v' } });
      await callers.entries(1);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const value = await sc.callAsync('b', () => 'main');
      clearInterval(ticker);
      expect(value).toBe('v');
      expect(ticks).toBeGreaterThan(5);
      await leader;
      // A worker whose only pending work is a callAsync wait still gets its answer.
      const lone = callers.call(0, { key: 'c', behaviour: 'sleepAsync', method: 'callAsync', arg: { ms: 10, value: 1 } });
      expect((await lone).value).toBe(1);
    });
  });

  test('callAsync waiters time out with TimeoutError', async () => {
    await withCallers(1, undefined, async (callers, sc) => {
      const leader = callers.call(0, { key: 'd', behaviour: 'slow', arg: { ms: 300, value: 'v' } });
      await callers.entries(1);
      await expect(sc.callAsync('d', () => 'main', { timeoutMs: 50 })).rejects.toMatchObject({ name: 'TimeoutError' });
      await leader;
      expect(sc.getStats()).toMatchObject({ active: 0 });
    });
  });
});

describe('group() across threads', () => {
  test('the same wrapped function in 4 threads shares one automatic key and one execution', async () => {
    await withCallers(4, undefined, async (callers) => {
      const first = callers.call(0, { key: '', behaviour: '', method: 'square', arg: { n: 12, ms: 300 } });
      await callers.entries(1);
      const others = [1, 2, 3].map((i) => callers.call(i, { key: '', behaviour: '', method: 'square', arg: { n: 12, ms: 0 } }));
      const replies = await Promise.all([first, ...others]);
      expect(replies.map((reply) => reply.value)).toEqual([144, 144, 144, 144]);
      expect(callers.executions).toBe(1);
    });
  });
});

describe('the process-wide `shared`', () => {
  test('the ESM and CommonJS builds loaded in one thread use the same table', async () => {
    const code = `
      const { parentPort } = require('node:worker_threads');
      const cjs = require('@shared-call/sync-workers');
      import('@shared-call/sync-workers').then((esm) => {
        let inner = 'none';
        cjs.shared.call('dual', () => {
          try { esm.shared.call('dual', () => 0); } catch (error) { inner = error.name; }
        });
        parentPort.postMessage(inner);
      });`;
    const worker = new Worker(code, { eval: true });
    try {
      expect(await within(once(worker, 'message'), 10_000, 'dual build worker')).toEqual(['ReentrantCallError']);
    } finally {
      await worker.terminate();
    }
  });

  test('workers started after it see the same table with no plumbing', async () => {
    const callers = await new Callers().start(3, undefined);
    try {
      shared.resetStats();
      const replies = await coalesce(callers, shared, { key: 'global', behaviour: 'value', arg: { value: 'g' } }, [1, 2]);
      expect(replies.map((reply) => reply.value)).toEqual(['g', 'g', 'g']);
      expect(shared.getStats()).toMatchObject({ hits: 2, misses: 1, active: 0 });
    } finally {
      await callers.close();
    }
  });

});
