// expect: 4 threads made 20 calls, the expensive step ran 5 times
// A CPU-heavy synchronous pipeline in 4 worker threads: every thread walks the same 5 datasets and needs an
// expensive, blocking index of each. `shared` from @shared-call/sync-workers makes each index build once across
// all threads at a time: one thread leads, the others block in Atomics.wait and receive a copy of its result.
import { shared } from '@shared-call/sync-workers';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const THREADS = 4;
const DATASETS = 5;

/** The expensive synchronous step: ~100 ms of hashing over one dataset. */
function buildIndex(dataset) {
  let hash = 2166136261;
  for (let i = 0; i < 20_000_000; i++) hash = Math.imul(hash ^ ((i * (dataset + 1)) & 0xff), 16777619);
  return { dataset, checksum: hash >>> 0 };
}

if (isMainThread) {
  void shared; // create the process-wide table before starting workers, so they all attach to it
  const workers = Array.from({ length: THREADS }, () => new Worker(new URL(import.meta.url)));
  const next = (w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject));
  await Promise.all(workers.map(next)); // every worker is up
  const done = workers.map(next);
  for (const w of workers) w.postMessage('go'); // start the pipelines together
  const checksums = await Promise.all(done);
  await Promise.all(workers.map((w) => w.terminate()));
  const { hits, misses } = shared.getStats(); // global: counts the calls of every thread
  console.log(`${THREADS} threads made ${hits + misses} calls, the expensive step ran ${misses} times`);
  console.log('every thread got the same checksums:', checksums.every((c) => c.join() === checksums[0].join()));
} else {
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    const checksums = [];
    for (let dataset = 0; dataset < DATASETS; dataset++) {
      checksums.push(shared.call(`index:${dataset}`, () => buildIndex(dataset)).checksum);
    }
    parentPort.postMessage(checksums);
  });
}
