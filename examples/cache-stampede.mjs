// expect: 100 requests during expiry, 1 reload
// Seed use case 2 — cache stampede: a cached config expires while 100 requests arrive. Coalescing the reload
// makes one request reload it while the 99 others wait for that reload instead of each hitting the source.
import { AsyncSharedCall } from '@shared-call/core';

const sc = new AsyncSharedCall();
const cache = new Map(); // key → { value, expiresAt }
let reloads = 0;

async function loadConfigFromSource() {
  reloads++;
  await new Promise((resolve) => setTimeout(resolve, 50)); // the slow source (database, remote service)
  return { featureFlags: { search: true }, loadedAt: Date.now() };
}

const reloadConfig = sc.group()(async function reloadConfig() {
  const value = await loadConfigFromSource();
  cache.set('config', { value, expiresAt: Date.now() + 60_000 });
  return value;
});

async function getConfig() {
  const entry = cache.get('config');
  return entry && entry.expiresAt > Date.now() ? entry.value : reloadConfig();
}

cache.set('config', { value: { stale: true }, expiresAt: Date.now() - 1 }); // just expired
const configs = await Promise.all(Array.from({ length: 100 }, getConfig));
console.log(`${configs.length} requests during expiry, ${reloads} reload`);
console.log('after the stampede, a request is served from cache:', (await getConfig()) === configs[0], `(${reloads} reload)`);
