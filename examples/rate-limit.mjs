// expect: 100 requests, 1 API call, 0 rejected with 429
// Seed use case 3 — rate-limit protection: 100 concurrent requests for the same resource against a real HTTP
// API on 127.0.0.1 that allows 10 requests per second. A coalesced client sends one request for all of them.
import { AsyncSharedCall } from '@shared-call/core';
import { startRateLimitedApi } from '../demo/servers/rate-limited-api.mjs';

const api = await startRateLimitedApi({ limitPerSecond: 10 });
const sc = new AsyncSharedCall();

const fetchFromApi = sc.group()(async function fetchFromApi(path) {
  const response = await fetch(`${api.url}${path}`);
  return { status: response.status, body: await response.json() };
});

try {
  const responses = await Promise.all(Array.from({ length: 100 }, () => fetchFromApi('/v1/rates?base=USD')));
  const rejected = responses.filter((r) => r.status === 429).length;
  console.log(`${responses.length} requests, ${api.received()} API call, ${rejected} rejected with 429`);
} finally {
  await api.close();
}
