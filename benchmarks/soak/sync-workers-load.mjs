// Soak load on @shared-call/sync-workers: 3 worker threads (sync-workers-thread.mjs) call one SharedCall
// table over 50 keys with a ~50 µs CPU-bound fn, so that threads lead, wait and time out on each other's
// flights; one call in ten throws. The heap is this thread's plus each worker's (each collects its own on
// request); latencies are the workers' `call`s, posted in batches.
import { Worker } from 'node:worker_threads';
import { SharedCall } from '@shared-call/sync-workers';
import { calibrate } from '../sync-workers/work.mjs';
import { CONTROL } from './sync-workers-thread.mjs';

const THREADS = 3;
const THREAD = new URL('./sync-workers-thread.mjs', import.meta.url);

/** Starts the workers; returns `{ heapBytes(), stop() }`. */
export async function startLoad(record) {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.COUNT * 4));
  const workerData = { handle: new SharedCall().handle, control: control.buffer, iterations: calibrate(0.05), keys: 50 };
  const heaps = new Map(); // worker → its latest { request, bytes }
  const waiting = new Set();
  const workers = Array.from({ length: THREADS }, () => {
    const worker = new Worker(THREAD, { workerData });
    worker.on('message', (message) => {
      if (message.latencies !== undefined) message.latencies.forEach(record);
      if (message.heap !== undefined) {
        heaps.set(worker, message.heap);
        waiting.forEach((check) => check());
      }
    });
    worker.on('error', (error) => {
      console.error(error);
      process.exitCode = 1;
    });
    return worker;
  });
  /** This thread's heap plus every worker's, each collected at request number `request`. */
  const heapBytes = () => new Promise((resolve) => {
    const request = Atomics.add(control, CONTROL.HEAP_REQUEST, 1) + 1;
    const check = () => {
      if (!workers.every((worker) => heaps.get(worker)?.request >= request)) return;
      waiting.delete(check);
      resolve(process.memoryUsage().heapUsed + workers.reduce((sum, worker) => sum + heaps.get(worker).bytes, 0));
    };
    waiting.add(check);
    check();
  });
  return {
    heapBytes,
    stop: async () => {
      Atomics.store(control, CONTROL.STOP, 1);
      await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
    },
  };
}
