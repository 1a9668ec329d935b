import type { ErrorClasses } from '@shared-call/core';
import type { Outcome } from '@shared-call/core/internal';
import { decodeValue } from './value-decoder.js';
import { encodeValue } from './value-encoder.js';

/**
 * A body a leader published for its waiters, decoded. On the wire it is JSON: `{"t":"ok","v":<value>}`,
 * `{"t":"err","e":<thrown value>}` (values in value-format.ts's exact format), `{"t":"local"}` (the outcome
 * cannot be shared exactly: run `fn` yourself) or `{"t":"retry"}` (the leader gave up: compete for the lease
 * again).
 */
export type Envelope =
  | { readonly t: 'ok'; readonly value: unknown }
  | { readonly t: 'err'; readonly error: unknown }
  | { readonly t: 'local' }
  | { readonly t: 'retry' };

/** Told to waiters whose leader's outcome cannot cross processes exactly (see value-format.ts, or too large). */
export const LOCAL_BODY = '{"t":"local"}';
/** Told to waiters when every caller of the leader's process abandoned the flight. */
export const RETRY_BODY = '{"t":"retry"}';

/** Options of the codec. */
export interface PayloadLimits {
  /** Largest body, in UTF-8 bytes, that is published or accepted. */
  readonly maxResultBytes: number;
  /** Error classes rebuilt by name besides the built-ins. */
  readonly errorClasses: ErrorClasses;
}

/**
 * Encodes what `fn` produced, or returns {@link LOCAL_BODY} if it cannot cross exactly or the body would exceed
 * `maxResultBytes`. Never throws, whatever the value does (a stack overflow, a string too long to build);
 * encoding stops as soon as the body grows past `maxResultBytes`, so its cost is bounded by that size.
 */
export function encodeOutcome(outcome: Outcome, limits: PayloadLimits): string {
  const { maxResultBytes, errorClasses } = limits;
  try {
    const body = outcome.ok
      ? '{"t":"ok","v":' + encodeValue(outcome.value, maxResultBytes, errorClasses) + '}'
      : '{"t":"err","e":' + encodeValue(outcome.error, maxResultBytes, errorClasses) + '}';
    // UTF-16 length bounded the work; a body of mostly non-ASCII text can still be longer in UTF-8.
    return exceeds(body, maxResultBytes) ? LOCAL_BODY : body;
  } catch {
    return LOCAL_BODY;
  }
}

/**
 * Decodes a body read from Redis, which anyone with access to Redis may have written. Throws a `TypeError`
 * for anything {@link encodeOutcome} would not produce: oversized, not JSON, a malformed envelope, value or
 * error, a `__proto__` key or a `constructor` object anywhere (the shapes of prototype-pollution payloads),
 * nesting deeper than 64. Never evaluates anything, never runs a constructor, never sets a prototype other
 * than the built-in ones and those of `errorClasses`.
 */
export function decodeBody(body: string, limits: PayloadLimits): Envelope {
  if (exceeds(body, limits.maxResultBytes)) {
    throw new TypeError(`payload of ${Buffer.byteLength(body)} bytes exceeds maxResultBytes`);
  }
  try {
    const envelope: unknown = JSON.parse(body);
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
      throw new TypeError('payload must be a JSON object');
    }
    const field = (key: string) => {
      if (!Object.hasOwn(envelope, key)) throw new TypeError(`payload has no "${key}"`);
      return decodeValue((envelope as Record<string, unknown>)[key], limits.errorClasses);
    };
    switch (Object.hasOwn(envelope, 't') ? (envelope as { t: unknown }).t : undefined) {
      case 'ok':
        return { t: 'ok', value: field('v') };
      case 'err':
        return { t: 'err', error: field('e') };
      case 'local':
        return { t: 'local' };
      case 'retry':
        return { t: 'retry' };
      default:
        throw new TypeError('payload has no valid "t" field');
    }
  } catch (error) {
    throw error instanceof TypeError ? error : new TypeError('payload is not valid: ' + String(error));
  }
}

/** True if `text` is longer than `bytes` in UTF-8; counted only when it could be (a UTF-16 unit is at most 3 bytes). */
function exceeds(text: string, bytes: number): boolean {
  return text.length * 3 > bytes && Buffer.byteLength(text) > bytes;
}
