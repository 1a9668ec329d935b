// Soak load on @shared-call/core: 64 clients over 1000 keys, so that flights have from one caller to many,
// through every path a service uses: plain calls, `group()` with automatic keys, callers that time out,
// callers that abort, and flights that reject. A load settles on the next macrotask, so flights overlap.
import { AsyncSharedCall } from '@shared-call/core';
import { startClients } from './clients.mjs';

const CLIENTS = 64;
const KEYS = 1000;

const later = (value) => new Promise((resolve) => setImmediate(resolve, value));
const failing = () => later().then(() => {
  throw new Error('load failed');
});

/** Starts the load; returns `{ heapBytes(), stop() }` (the heap of this thread, collected by the sampler). */
export async function startLoad(record) {
  const sc = new AsyncSharedCall();
  const fetchUser = sc.group()((id) => later({ id }));
  const operation = (i) => {
    const id = Math.floor(Math.random() * KEYS);
    const key = `user:${id}`;
    switch (i % 10) {
      case 0:
        return fetchUser(id);
      case 1:
        return sc.call(key, () => later(id), { timeoutMs: i % 20 === 1 ? 0 : 1000 }); // half time out at once
      case 2: {
        const controller = new AbortController();
        const call = sc.call(key, () => later(id), { signal: controller.signal });
        if (i % 20 === 2) controller.abort(); // half abort while waiting
        return call;
      }
      case 3:
        return sc.call(key, failing);
      default:
        return sc.call(key, () => later(id));
    }
  };
  const clients = startClients(CLIENTS, operation, record);
  return { heapBytes: async () => process.memoryUsage().heapUsed, stop: clients.stop };
}
