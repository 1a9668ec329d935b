// A real HTTP API on loopback that allows `limitPerSecond` requests per one-second window and answers
// 429 Too Many Requests above it, like a third-party API with a quota. Each allowed request takes `latencyMs`.
import { listenOnLoopback, sendJson } from './http.mjs';

/** Starts the API; `received()` counts every request that reached it. */
export async function startRateLimitedApi({ limitPerSecond = 10, latencyMs = 30 } = {}) {
  let received = 0;
  let window = 0;
  let inWindow = 0;
  const server = await listenOnLoopback((request, response) => {
    received++;
    const now = Math.floor(Date.now() / 1000);
    if (now !== window) [window, inWindow] = [now, 0];
    if (++inWindow > limitPerSecond) return sendJson(response, 429, { error: 'rate limit exceeded' });
    setTimeout(() => sendJson(response, 200, { path: request.url, rates: { EUR: 0.92, GBP: 0.79 } }), latencyMs);
  });
  return { ...server, received: () => received };
}
