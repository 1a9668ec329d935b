// expect: 30 deliveries of 3 webhooks, 3 charges
// Seed use case 4 — webhook deduplication: a payment provider delivers each webhook 10 times at once to a real
// HTTP endpoint on 127.0.0.1. Keyed on the webhook id (`keyFn`), concurrent duplicates share one charge.
// (Coalescing removes concurrent duplicates only; a retry after the charge finished needs an idempotency record.)
import { AsyncSharedCall } from '@shared-call/core';
import { startWebhookEndpoint } from '../demo/servers/webhook-endpoint.mjs';

const sc = new AsyncSharedCall();
const charges = [];

const processWebhook = sc.group({ keyFn: (webhookId) => webhookId })(async function processWebhook(webhookId, data) {
  await new Promise((resolve) => setTimeout(resolve, 150)); // the payment processor's round trip
  charges.push({ webhookId, amount: data.amount });
  return { charged: data.amount, chargeNumber: charges.length };
});

const endpoint = await startWebhookEndpoint(processWebhook);
try {
  const deliveries = ['evt_1', 'evt_2', 'evt_3'].flatMap((id) => Array.from({ length: 10 }, () => id));
  await Promise.all(
    deliveries.map((id) =>
      fetch(`${endpoint.url}/webhooks`, { method: 'POST', body: JSON.stringify({ id, amount: 1999 }) }).then((r) => r.json()),
    ),
  );
  console.log(`${deliveries.length} deliveries of 3 webhooks, ${charges.length} charges`);
} finally {
  await endpoint.close();
}
