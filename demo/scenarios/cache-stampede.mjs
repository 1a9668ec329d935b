// Scenario 2 — cache stampede: a cached sales summary has just expired when the requests arrive; each request
// that finds the cache stale reloads it from the real database.
import { AsyncSharedCall } from '@shared-call/core';
import { measureMode } from '../measure.mjs';

export const name = 'cache-stampede';
export const title = 'Cache stampede';
export const modeCount = 2;

/** A read-through cache with a time to live, as many services keep in front of their database. */
function createCache(ttlMs) {
  const entries = new Map();
  return {
    get: (key) => {
      const entry = entries.get(key);
      return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
    },
    set: (key, value) => entries.set(key, { value, expiresAt: Date.now() + ttlMs }),
    expire: (key) => entries.set(key, { value: entries.get(key)?.value, expiresAt: 0 }),
  };
}

/** Runs the stampede without and with coalescing of the reload. */
export async function run({ requests, pool, progress }) {
  const productId = 7;
  const key = `sales-summary:${productId}`;
  const sc = new AsyncSharedCall();
  const modes = [
    ['no coalescing', (reload) => reload()],
    ['AsyncSharedCall on the reload', (reload) => sc.call(key, reload)],
  ];
  const rows = [];
  for (const [mode, coalesce] of modes) {
    const cache = createCache(60_000);
    cache.set(key, { stale: true });
    cache.expire(key); // the entry expires just as the requests arrive
    const reload = async () => {
      const summary = await pool.salesSummary(productId);
      cache.set(key, summary);
      return summary;
    };
    const request = async () => cache.get(key) ?? coalesce(reload);
    rows.push(await measureMode({ scenario: name, mode, requests, request, executions: pool.executions, progress }));
  }
  return rows;
}
