// piscina task of the sync-workers benchmark: the CPU-bound function, through the process-wide `shared`
// table (`coalesced`) or called directly.
import { shared } from '@shared-call/sync-workers';
import { POOL_CELLS } from '../../test/support/cells.cjs';
import { burn } from './work.mjs';

export default function task({ key, iterations, coalesced, executions }) {
  const work = () => {
    Atomics.add(new Int32Array(executions), POOL_CELLS.EXECUTIONS, 1);
    return burn(iterations);
  };
  return coalesced ? shared.call(key, work) : work();
}
