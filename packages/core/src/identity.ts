const identities = new WeakMap<WeakKey, number>();
let nextIdentity = 1;

/** A number unique to `value` for the life of this thread (objects and functions only; never reused). */
export function identityOf(value: object): number {
  return numberOf(value);
}

/**
 * The part of an automatic key that stands for a value keyed by identity (a function, a unique symbol, an object
 * that is not data): `i<number>.<thread tag>`. The random tag, drawn once per thread (per module instance), keeps
 * identity keys of different threads and processes apart: coalescers that share keys across them
 * (`@shared-call/sync-workers`, `@shared-call/redis`) never mistake one thread's function #3 for another's.
 */
export function identityToken(value: WeakKey): string {
  return 'i' + numberOf(value) + THREAD_TAG;
}

function numberOf(value: WeakKey): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id); // a unique symbol needs an engine with symbols as WeakMap keys (Node 20+)
  }
  return id;
}

/** `.` and 64 random bits in base 36. */
const THREAD_TAG = '.' + Array.from(randomWords(), (n) => n.toString(36)).join('');

/** Two random 32-bit words: Web Crypto where the runtime has it (Node, browsers, edge), else Math.random. */
function randomWords(): Uint32Array {
  const words = new Uint32Array(2);
  if (typeof globalThis.crypto?.getRandomValues === 'function') return globalThis.crypto.getRandomValues(words);
  return words.map(() => Math.floor(Math.random() * 2 ** 32));
}
