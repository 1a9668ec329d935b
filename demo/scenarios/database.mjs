// Scenario 1 — database load protection: concurrent requests for the same product's sales summary, a query
// that scans every order in a real SQLite database, run in a piscina pool of worker threads.
import { AsyncSharedCall } from '@shared-call/core';
import { measureMode } from '../measure.mjs';

export const name = 'database';
export const title = 'Database load protection';
export const modeCount = 3;

/** Runs the scenario without coalescing, with async coalescing in the caller, and inside the pool's tasks. */
export async function run({ requests, pool, progress }) {
  const sc = new AsyncSharedCall();
  const productId = 42;
  const common = { scenario: name, requests, executions: pool.executions, progress };
  return [
    await measureMode({ ...common, mode: 'no coalescing', request: () => pool.salesSummary(productId) }),
    await measureMode({
      ...common,
      mode: 'AsyncSharedCall in the caller',
      request: () => sc.call(`sales-summary:${productId}`, () => pool.salesSummary(productId)),
    }),
    {
      ...(await measureMode({
        ...common,
        mode: 'sync-workers in the pool task',
        request: () => pool.salesSummary(productId, true),
      })),
      note: `database: only the tasks running at once in the ${pool.threads} threads share a query`,
    },
  ];
}
