// The piscina task function that runs the hot query in a worker thread. Each worker opens the database once,
// read-only. `coalesce: true` wraps the query in `@shared-call/sync-workers`' process-wide `shared`, so
// concurrent tasks in different worker threads share one execution. Every real execution is counted in the
// shared Int32Array handed over in workerData.
import Database from 'better-sqlite3';
import { shared } from '@shared-call/sync-workers';
import { workerData } from 'node:worker_threads';
import { HOT_QUERY } from './database.mjs';

const db = new Database(workerData.databasePath, { readonly: true });
const hotQuery = db.prepare(HOT_QUERY);
const executions = new Int32Array(workerData.executions);

function querySummary(productId) {
  Atomics.add(executions, 0, 1);
  return hotQuery.get(productId);
}

/** Task: `{ productId, coalesce }` → the product's sales summary. */
export default function salesSummary({ productId, coalesce }) {
  return coalesce ? shared.call(`sales-summary:${productId}`, () => querySummary(productId)) : querySummary(productId);
}
