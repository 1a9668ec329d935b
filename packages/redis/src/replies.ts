/** The replies of the scripts in scripts.ts, checked, and the KEYS they all take. */
import type { FlightNames } from './names.js';

/** ACQUIRE's reply, checked (see scripts.ts). */
export type AcquireReply =
  | { readonly kind: 'lead'; readonly fence: number }
  | { readonly kind: 'held'; readonly holder: string; readonly pttl: number; readonly fence: number | undefined }
  | { readonly kind: 'stored'; readonly body: string; readonly fence: number | undefined };

/** ACQUIRE's "lead" reply. */
export type Won = Extract<AcquireReply, { kind: 'lead' }>;

/** The KEYS every script gets (see scripts.ts). */
export function keysOf(names: FlightNames): string[] {
  return [names.lease, names.result, names.fence, names.waiters];
}

/**
 * Checks the shape of ACQUIRE's reply (see scripts.ts): {1, fence}, {0, holder, pttl, fence or ''} or
 * {2, stored, fence or ''}; throws a `TypeError` for anything else.
 */
export function parseAcquire(reply: unknown): AcquireReply {
  if (Array.isArray(reply)) {
    const [kind, text, ...rest] = reply as unknown[];
    if (kind === 1) return { kind: 'lead', fence: parseFence(text) };
    if (kind === 0 && typeof text === 'string' && typeof rest[0] === 'number') {
      return { kind: 'held', holder: text, pttl: rest[0], fence: optionalFence(rest[1]) };
    }
    if (kind === 2 && typeof text === 'string') return { kind: 'stored', body: bodyOf(text), fence: optionalFence(rest[0]) };
  }
  throw new TypeError('unexpected ACQUIRE reply from Redis');
}

/** A fencing token, or `undefined` for '' (not known). */
function optionalFence(text: unknown): number | undefined {
  return text === '' ? undefined : parseFence(text);
}

/** A fencing token as Redis returns it (decimal digits), checked to be a positive safe integer. */
function parseFence(text: unknown): number {
  const fence = typeof text === 'string' && /^[1-9][0-9]{0,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(fence)) throw new TypeError(`unexpected fencing token from Redis: ${String(text)}`);
  return fence;
}

/** The count of waiting processes in RENEW's reply ({1, count}), or 0 if the lease is no longer ours. */
export function parseRenew(reply: unknown): number {
  if (Array.isArray(reply) && reply[0] === 1 && typeof reply[1] === 'number') return reply[1];
  return 0;
}

/** The body of a stored `token\nbody`. */
export function bodyOf(stored: string): string {
  return stored.slice(stored.indexOf('\n') + 1);
}
