import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';
import type { SharedCallHandle } from './handle.js';
import { SharedCall } from './shared-call.js';

/** The environment-data key under which the process-wide table's handle travels to new Workers. */
const ENVIRONMENT_KEY = 'shared-call/sync-workers:shared';

/**
 * The process-wide default {@link SharedCall}. The first thread that loads this package creates the table and
 * stores its handle with `worker_threads.setEnvironmentData`, so every Worker started afterwards (by any
 * thread, piscina pools included) attaches to the same table when it loads the package: calls with equal keys
 * coalesce across all of them with no plumbing.
 */
export const shared: SharedCall = processDefault();

function processDefault(): SharedCall {
  const inherited = getEnvironmentData(ENVIRONMENT_KEY) as SharedCallHandle | undefined;
  if (inherited !== undefined) return SharedCall.attach(inherited);
  const created = new SharedCall();
  setEnvironmentData(ENVIRONMENT_KEY, created.handle as never);
  return created;
}
