import { join } from 'node:path';
import { shared } from '@shared-call/sync-workers';
import { createPool } from '../src/piscina';
import { cellBuffer, POOL_CELLS } from '../../../test/support/cells.cjs';
import { until, within } from './helpers';

const TASK = join(__dirname, 'fixtures', 'pool-task.cjs');

// Real piscina pools whose task functions call the process-wide `shared` table.
describe('piscina integration', () => {
  test('400 tasks in bursts of 40 per key on 4 workers: far fewer executions than tasks, every result right', async () => {
    const pool = createPool<object, string>({ filename: TASK, minThreads: 4, maxThreads: 4 });
    const counters = new Int32Array(cellBuffer(POOL_CELLS.COUNT));
    try {
      const keys = Array.from({ length: 400 }, (_, i) => `key-${Math.floor(i / 40)}`);
      const results: string[] = await within(Promise.all(keys.map((key) => pool.run({ key, ms: 20, counters: counters.buffer }))), 60_000, 'pool');
      results.forEach((result, i) => expect(result).toMatch(new RegExp(`^${keys[i]} by \\d+$`)));
      expect(counters[POOL_CELLS.EXECUTIONS]).toBeLessThan(160);
      expect(counters[POOL_CELLS.EXECUTIONS]).toBeGreaterThanOrEqual(10);
    } finally {
      await pool.destroy();
    }
  });

  test('callAsync inside pool tasks: async work coalesces across workers without blocking them', async () => {
    const pool = createPool<object, string>({ filename: join(__dirname, 'fixtures', 'pool-async-task.cjs'), minThreads: 4, maxThreads: 4, concurrentTasksPerWorker: 4 });
    const counters = new Int32Array(cellBuffer(POOL_CELLS.COUNT));
    try {
      const keys = Array.from({ length: 64 }, (_, i) => `async-${i % 4}`);
      const results = await within(Promise.all(keys.map((key) => pool.run({ key, ms: 100, counters: counters.buffer }))), 30_000, 'pool');
      results.forEach((result, i) => expect(result).toBe(`${keys[i]} done`));
      expect(counters[POOL_CELLS.EXECUTIONS]).toBeLessThan(32);
    } finally {
      await pool.destroy();
    }
  });

  test.each([
    ['aborted (piscina terminates the worker)', 'hang'],
    ['process.exit() in the task', 'exit'],
  ])('a leader %s: its waiters in other pool workers are released and one re-runs fn', async (_, behaviour) => {
    const pool = createPool({ filename: TASK, minThreads: 3, maxThreads: 3 });
    const counters = new Int32Array(cellBuffer(POOL_CELLS.COUNT));
    const key = `doomed-${behaviour}`;
    try {
      await until(() => pool.threads.length === 3, 10_000, 'pool started');
      const controller = new AbortController();
      const doomed = pool.run({ key, ms: 200, counters: counters.buffer, behaviour }, { signal: controller.signal }).catch((error: Error) => error);
      await until(() => counters[POOL_CELLS.EXECUTIONS] === 1, 10_000, 'leader started');
      const hits = shared.getStats().hits;
      const waiters = Promise.all([1, 2].map(() => pool.run({ key, ms: 50, counters: counters.buffer })));
      waiters.catch(() => {});
      await until(() => shared.getStats().hits === hits + 2, 10_000, 'waiters joined');
      if (behaviour === 'hang') controller.abort();
      else Atomics.store(counters, POOL_CELLS.RELEASED, 1);
      expect(await within(doomed, 10_000, 'doomed task')).toBeInstanceOf(Error);
      const results = await within(waiters, 10_000, 'waiters');
      expect(results[0]).toBe(results[1]);
      expect(counters[POOL_CELLS.EXECUTIONS]).toBe(2);
    } finally {
      await pool.destroy();
    }
  });
});
