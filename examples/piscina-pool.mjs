// expect: 1000 tasks over 10 keys on 8 workers: ([1-9]\d?|[1-4]\d\d) executions of the CPU-heavy function
// A piscina pool of 8 workers runs 1000 tasks that each need a CPU-heavy synchronous report for one of 10
// keys. The tasks call the process-wide `shared` table, so tasks in different workers asking for the same key
// at the same time wait for one computation instead of repeating it. This file is both the main program and
// the pool's task module.
import { isMainThread } from 'node:worker_threads';
import { shared } from '@shared-call/sync-workers';
import { createPool } from '@shared-call/sync-workers/piscina';

/** About 20 ms of pure CPU work whose result depends only on `key`. */
function buildReport(key) {
  let checksum = 0;
  const end = performance.now() + 20;
  for (let i = 0; performance.now() < end; i++) checksum = (checksum + i * key.length) % 1_000_003;
  return { key, lines: 3, title: `report for ${key}` };
}

/** The pool's task: coalesced by key across every worker of the pool. */
export default function task({ key }) {
  return shared.call(key, () => buildReport(key));
}

if (isMainThread) {
  const pool = createPool({ filename: import.meta.url, minThreads: 8, maxThreads: 8 });
  const tasks = Array.from({ length: 1000 }, (_, i) => ({ key: `customer-${Math.floor(i / 100)}` })); // bursts per key
  const started = performance.now();
  const reports = await Promise.all(tasks.map((t) => pool.run(t)));
  const elapsed = performance.now() - started;
  const { misses, hits } = shared.getStats();
  console.log(`1000 tasks over 10 keys on 8 workers: ${misses} executions of the CPU-heavy function (${hits} tasks shared a result)`);
  console.log(`every task got its own key's report: ${reports.every((r, i) => r.key === tasks[i].key)}; ${elapsed.toFixed(0)} ms`);
  await pool.destroy();
}
