// Scenario 5 — a CPU-bound pipeline in worker threads: a batch of items is sealed in a piscina pool, and every
// item needs the batch's key, derived by a deliberately slow, synchronous key-derivation function (see
// seal-task.mjs). Each thread caches the key it derived; at the start of a batch every thread misses at once.
import { randomBytes } from 'node:crypto';
import { createCountingPool } from '../counting-pool.mjs';
import { measureMode } from '../measure.mjs';

export const name = 'cpu-pipeline';
export const title = 'CPU pipeline in worker threads';
export const modeCount = 2;

const THREADS = 4;
const WARM_UP_MS = 50;

/** Seals one batch of `requests` items without and with `@shared-call/sync-workers` on the key derivation. */
export async function run({ requests, progress }) {
  const pool = createCountingPool(new URL('../seal-task.mjs', import.meta.url), {}, THREADS);
  try {
    // Every thread has loaded its modules before the clock starts (the tasks overlap, so they spread out).
    await Promise.all(Array.from({ length: THREADS }, () => pool.run({ warmUp: WARM_UP_MS })));
    const rows = [];
    for (const [mode, coalesce, note] of [
      ['no coalescing', false],
      ['sync-workers in the pool task', true, `cpu-pipeline: one of the ${THREADS} threads derives the key, the others wait`],
    ]) {
      const batch = `${mode}:${Date.now()}`; // a fresh batch: every thread's cache is cold
      const salt = randomBytes(16).toString('hex');
      const request = (i) => pool.run({ batch, salt, item: { invoice: i, cents: 1999 }, coalesce });
      const row = await measureMode({ scenario: name, mode, requests, request, executions: pool.executions, progress });
      rows.push(note === undefined ? row : { ...row, note });
    }
    return rows;
  } finally {
    await pool.close();
  }
}
