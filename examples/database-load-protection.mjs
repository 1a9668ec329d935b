// expect: 100 requests, 1 query
// Seed use case 1 — database load protection: 100 concurrent requests for a popular product's sales summary.
// The query scans every order of a real SQLite database (better-sqlite3) in a piscina pool of worker threads;
// coalesced, it runs once and all 100 requests share its row.
import { AsyncSharedCall } from '@shared-call/core';
import { createDatabase } from '../demo/database.mjs';
import { createQueryPool } from '../demo/query-pool.mjs';

const database = createDatabase(200_000);
const pool = createQueryPool(database.path, 2);
const sc = new AsyncSharedCall();

const getPopularProduct = sc.group()(function getPopularProduct(productId) {
  return pool.salesSummary(productId);
});

try {
  const rows = await Promise.all(Array.from({ length: 100 }, () => getPopularProduct(42)));
  console.log(`${rows.length} requests, ${pool.executions()} query`, rows[0]);
} finally {
  await pool.close();
  database.remove();
}
