// A piscina pool of worker threads whose task function counts its real executions in shared memory.
import { Piscina } from 'piscina';
import { shared } from '@shared-call/sync-workers';

/**
 * Starts `threads` workers running the task module at `taskUrl`; each gets `workerData` plus `executions`, an
 * Int32Array-sized SharedArrayBuffer the task increments once per real execution (all threads).
 * sync-workers' process-wide `shared` is created first so that every worker sees it.
 */
export function createCountingPool(taskUrl, workerData, threads = 4) {
  void shared; // the process-wide table must exist before the workers start
  const executions = new SharedArrayBuffer(4);
  const pool = new Piscina({
    filename: taskUrl.href,
    minThreads: threads,
    maxThreads: threads,
    workerData: { ...workerData, executions },
  });
  const counter = new Int32Array(executions);
  return {
    threads,
    run: (task) => pool.run(task),
    /** Real executions so far (all threads). */
    executions: () => Atomics.load(counter, 0),
    close: () => pool.destroy(),
  };
}
