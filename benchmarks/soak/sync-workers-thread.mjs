// One worker of the sync-workers soak load (see sync-workers-load.mjs): calls the shared table in a loop until
// told to stop, posting its latencies (ms) every 100 ms and its heap, after a full collection, whenever the
// main thread asks (a counter in shared memory, since this thread never yields to its message loop).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { SharedCall } from '@shared-call/sync-workers';
import { collect } from '../lib/alternate.mjs';
import { burn } from '../sync-workers/work.mjs';

/** Cells of the control array shared with the main thread. */
export const CONTROL = Object.freeze({ STOP: 0, HEAP_REQUEST: 1, COUNT: 2 });

const fail = () => {
  throw new Error('fn failed');
};

function run({ handle, control: buffer, iterations, keys }) {
  const control = new Int32Array(buffer);
  const sc = SharedCall.attach(handle);
  const work = () => burn(iterations);
  let latencies = [];
  let posted = performance.now();
  let answered = 0;
  for (let n = 0; Atomics.load(control, CONTROL.STOP) === 0; n++) {
    const key = `user:${Math.floor(Math.random() * keys)}`;
    const start = performance.now();
    try {
      sc.call(key, n % 10 === 3 ? fail : work, { timeoutMs: n % 10 === 5 ? 0 : 1000 });
    } catch {
      // failures are part of the load (a thrown fn, a wait that timed out)
    }
    const end = performance.now();
    latencies.push(end - start);
    if (end - posted >= 100) {
      parentPort.postMessage({ latencies });
      latencies = [];
      posted = end;
    }
    const request = Atomics.load(control, CONTROL.HEAP_REQUEST);
    if (request > answered) {
      collect();
      parentPort.postMessage({ heap: { request, bytes: process.memoryUsage().heapUsed } });
      answered = request;
    }
  }
}

if (!isMainThread && workerData?.control !== undefined) run(workerData);
