// Scenario 3 — rate-limited API: concurrent requests for the same resource against a real HTTP server on
// loopback that answers 429 above its per-second quota.
import { AsyncSharedCall } from '@shared-call/core';
import { measureMode } from '../measure.mjs';
import { startRateLimitedApi } from '../servers/rate-limited-api.mjs';

export const name = 'rate-limit';
export const title = 'Rate-limited API';
export const modeCount = 2;

/** Fetches `url` and returns `{ status, body }`; an HTTP error status is a value, not a throw. */
async function getJson(url) {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** Runs the burst without and with a coalesced client. */
export async function run({ requests, progress }) {
  const rows = [];
  const sc = new AsyncSharedCall();
  const modes = [
    ['no coalescing', (url) => getJson(url)],
    ['AsyncSharedCall client', (url) => sc.call(`GET ${url}`, () => getJson(url))],
  ];
  for (const [mode, get] of modes) {
    const api = await startRateLimitedApi({ limitPerSecond: 10 });
    try {
      rows.push(
        await measureMode({
          scenario: name,
          mode,
          requests,
          request: () => get(`${api.url}/v1/rates?base=USD`),
          executions: api.received,
          failed: (result) => result.status !== 200,
          progress,
        }),
      );
    } finally {
      await api.close();
    }
  }
  return rows;
}
