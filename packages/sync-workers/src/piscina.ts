import { Piscina } from 'piscina';
import { shared } from './process-default.js';
import type { SharedCall } from './shared-call.js';

/** piscina's constructor options. */
export type PoolOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>;

/**
 * Creates a piscina pool whose workers coalesce through one table, and watches every worker the pool starts
 * (now or later, replacements included): when a worker dies while leading a flight (a crash, `process.exit()`,
 * or piscina terminating it when a task is aborted) one of the flight's waiters runs `fn` again.
 *
 * With the default `sc`, the process-wide `shared`, task functions need no plumbing:
 * `require('@shared-call/sync-workers').shared.call(key, fn)`. For another table, pass it as `sc`, hand its
 * `sc.handle` to the workers in `workerData`, and `SharedCall.attach` it in the task file.
 * Throws what `new Piscina(options)` throws for bad options.
 */
export function createPool<Task = unknown, Result = unknown>(
  options?: PoolOptions,
  sc: SharedCall = shared,
): Piscina<Task, Result> {
  const pool = new Piscina<Task, Result>(options);
  pool.on('workerCreate', ({ id }: { id: number }) => {
    const worker = pool.threads.find((thread) => thread.threadId === id);
    if (worker !== undefined) sc.watch(worker);
  });
  return pool;
}
