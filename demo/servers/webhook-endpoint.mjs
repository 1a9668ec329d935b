// A real webhook endpoint on loopback: POST /webhooks with `{ id, amount }`. Payment providers retry and
// duplicate deliveries; `handlePayment(id, payload)` decides whether duplicates charge twice.
import { listenOnLoopback, readJson, sendJson } from './http.mjs';

/** Starts the endpoint; every delivery is handed to `handlePayment` and answered with its result. */
export function startWebhookEndpoint(handlePayment) {
  return listenOnLoopback(async (request, response) => {
    try {
      const payload = await readJson(request);
      sendJson(response, 200, await handlePayment(payload.id, payload));
    } catch (error) {
      sendJson(response, 500, { error: String(error) });
    }
  });
}
