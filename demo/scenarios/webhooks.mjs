// Scenario 4 — webhook deduplication: each webhook is delivered several times at once to a real HTTP endpoint
// on loopback; the payment handler should charge once per webhook id (`keyFn` on the id).
import { AsyncSharedCall } from '@shared-call/core';
import { measureMode } from '../measure.mjs';
import { startWebhookEndpoint } from '../servers/webhook-endpoint.mjs';

export const name = 'webhooks';
export const title = 'Webhook deduplication';
export const modeCount = 2;

const DUPLICATES_PER_WEBHOOK = 10;

/** A payment processor that takes 150 ms per charge (a remote call) and records every charge it makes. */
function createProcessor() {
  const charges = [];
  return {
    charges,
    charge: async (webhookId, amount) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      charges.push({ webhookId, amount });
      return { chargeId: `ch_${charges.length}`, webhookId };
    },
  };
}

/** Delivers every webhook DUPLICATES_PER_WEBHOOK times concurrently, without and with coalescing. */
export async function run({ requests, progress }) {
  const rows = [];
  const modes = [
    ['no coalescing', (charge) => (id, payload) => charge(id, payload.amount)],
    [
      'group({ keyFn: webhook id })',
      (charge) => new AsyncSharedCall().group({ keyFn: (id) => id })((id, payload) => charge(id, payload.amount)),
    ],
  ];
  for (const [mode, makeHandler] of modes) {
    const processor = createProcessor();
    const endpoint = await startWebhookEndpoint(makeHandler(processor.charge));
    try {
      const row = await measureMode({
        scenario: name,
        mode,
        requests,
        request: async (i) => {
          const id = `evt_${Math.floor(i / DUPLICATES_PER_WEBHOOK)}`;
          const response = await fetch(`${endpoint.url}/webhooks`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ id, amount: 1999 }),
          });
          return response.status;
        },
        executions: () => processor.charges.length,
        failed: (status) => status !== 200,
        progress,
      });
      const webhooks = Math.ceil(requests / DUPLICATES_PER_WEBHOOK);
      rows.push({ ...row, note: `webhooks: ${row.executions - webhooks} duplicate charges for ${webhooks} webhooks` });
    } finally {
      await endpoint.close();
    }
  }
  return rows;
}
