import { Piscina } from 'piscina';
import { watchNewWorkers } from './process-default.js';

/** piscina's constructor options. */
export type PoolOptions = NonNullable<ConstructorParameters<typeof Piscina>[0]>;

/**
 * Creates a piscina pool whose workers coalesce through the process-wide `shared` table: task functions just
 * `require('@shared-call/sync-workers').shared.call(key, fn)`. Every worker the pool starts (now or later,
 * replacements included) is watched, so when a worker dies while leading a flight (a crash, `process.exit()`,
 * or piscina terminating it on abort) one of the flight's waiters runs `fn` again.
 */
export function createPool<Task = unknown, Result = unknown>(options?: PoolOptions): Piscina<Task, Result> {
  watchNewWorkers();
  return new Piscina<Task, Result>(options);
}
