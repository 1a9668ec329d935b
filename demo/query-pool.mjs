// A piscina pool of worker threads that run the hot query (see db-task.mjs), with a shared execution counter.
import { Piscina } from 'piscina';
import { shared } from '@shared-call/sync-workers';

/** Starts a pool over the database at `databasePath`. `shared` is created first so every worker sees it. */
export function createQueryPool(databasePath, threads = 4) {
  void shared; // the process-wide table must exist before the workers start
  const executions = new SharedArrayBuffer(4);
  const pool = new Piscina({
    filename: new URL('./db-task.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    workerData: { databasePath, executions },
  });
  const counter = new Int32Array(executions);
  return {
    threads,
    /** Runs the hot query for `productId` in the pool; `coalesce` coalesces inside the task function. */
    salesSummary: (productId, coalesce = false) => pool.run({ productId, coalesce }),
    /** Real executions of the hot query so far (all threads). */
    executions: () => Atomics.load(counter, 0),
    close: () => pool.destroy(),
  };
}
