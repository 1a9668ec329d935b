// The piscina task function of the cpu-pipeline scenario: seals (AES-256-GCM) one item of a batch with the
// batch's key. The key is derived from a passphrase and the batch's salt with PBKDF2-SHA256 at 600,000
// iterations (OWASP's recommendation): about a third of a second of one core, synchronous — the CPU-heavy step
// every item needs. Each worker keeps the batch key it derived (a per-thread cache), so without coalescing
// every thread derives it once; `coalesce: true` derives through `@shared-call/sync-workers`' process-wide
// `shared`, so the threads that miss at the same time share one derivation: one thread computes it, the others
// block until its key arrives. Every real derivation is counted in workerData's shared counter.
import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { workerData } from 'node:worker_threads';
import { shared } from '@shared-call/sync-workers';

export const ITERATIONS = 600_000;
const PASSPHRASE = 'correct horse battery staple';
const executions = new Int32Array(workerData.executions);
let cached = { batch: undefined, key: undefined };

function deriveKey(salt) {
  Atomics.add(executions, 0, 1);
  return pbkdf2Sync(PASSPHRASE, Buffer.from(salt, 'hex'), ITERATIONS, 32, 'sha256');
}

function batchKey(batch, salt, coalesce) {
  if (cached.batch !== batch) {
    const key = coalesce ? shared.call(`batch-key:${batch}`, () => deriveKey(salt)) : deriveKey(salt);
    cached = { batch, key };
  }
  return cached.key;
}

/** Task: `{ batch, salt, item, coalesce }` → the sealed item's length in bytes; `{ warmUp: ms }` just waits. */
export default function sealItem({ batch, salt, item, coalesce, warmUp }) {
  if (warmUp !== undefined) return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, warmUp);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', batchKey(batch, salt, coalesce), iv);
  const sealed = Buffer.concat([iv, cipher.update(JSON.stringify(item)), cipher.final(), cipher.getAuthTag()]);
  return sealed.length;
}
