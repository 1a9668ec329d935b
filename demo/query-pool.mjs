// A pool of worker threads that run the hot query (see db-task.mjs), with a shared execution counter.
import { createCountingPool } from './counting-pool.mjs';

/** Starts a pool over the database at `databasePath`. */
export function createQueryPool(databasePath, threads = 4) {
  const pool = createCountingPool(new URL('./db-task.mjs', import.meta.url), { databasePath }, threads);
  return {
    ...pool,
    /** Runs the hot query for `productId` in the pool; `coalesce` coalesces inside the task function. */
    salesSummary: (productId, coalesce = false) => pool.run({ productId, coalesce }),
  };
}
