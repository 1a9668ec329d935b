// piscina task of the sync-workers benchmark: the CPU-bound function, through the process-wide `shared`
// table (`coalesced`) or called directly.
import { shared } from '@shared-call/sync-workers';
import { burn } from './work.mjs';

export default function task({ key, iterations, coalesced, executions }) {
  const work = () => {
    Atomics.add(new Int32Array(executions), 0, 1);
    return burn(iterations);
  };
  return coalesced ? shared.call(key, work) : work();
}
