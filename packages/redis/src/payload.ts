import type { ErrorClasses } from '@shared-call/core';
import { decodeError, describe, encodeError, type EncodedError } from '@shared-call/core/internal';

/**
 * A body a leader published for its waiters, decoded. On the wire it is JSON: `{"t":"ok","v":…}` (no `v` for `undefined`),
 * `{"t":"err","e":<EncodedError>}`, `{"t":"local"}` (the result cannot be shared: run `fn` yourself) or
 * `{"t":"retry"}` (the leader gave up: compete for the lease again).
 */
export type Envelope =
  | { readonly t: 'ok'; readonly value: unknown }
  | { readonly t: 'err'; readonly error: unknown }
  | { readonly t: 'local' }
  | { readonly t: 'retry' };

/** What `fn` did, as the leader saw it. */
export type Outcome<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

/** Told to waiters whose leader's result cannot cross processes (not plain data, or too large). */
export const LOCAL_BODY = '{"t":"local"}';
/** Told to waiters when every caller of the leader's process abandoned the flight. */
export const RETRY_BODY = '{"t":"retry"}';

/** Nesting accepted in a shared value. */
const MAX_DEPTH = 64;

/** Options of the codec. */
export interface PayloadLimits {
  /** Largest body, in UTF-8 bytes, that is published or accepted. */
  readonly maxResultBytes: number;
  /** Error classes rebuilt by name besides the built-ins. */
  readonly errorClasses: ErrorClasses;
}

/**
 * Encodes what `fn` produced. A value is shared only if it is plain data that JSON carries without loss
 * (see {@link isShareable}) and the body fits `maxResultBytes`; otherwise {@link LOCAL_BODY}. A thrown
 * non-error that is not plain data is replaced by an `Error` describing it.
 */
export function encodeOutcome(outcome: Outcome, limits: PayloadLimits): string {
  let body: string;
  if (outcome.ok) {
    if (!isShareable(outcome.value, 0)) return LOCAL_BODY;
    body = JSON.stringify(outcome.value === undefined ? { t: 'ok' } : { t: 'ok', v: outcome.value });
  } else {
    body = JSON.stringify({ t: 'err', e: shareableError(encodeError(outcome.error, limits.errorClasses)) });
  }
  return Buffer.byteLength(body) > limits.maxResultBytes ? LOCAL_BODY : body;
}

/**
 * Decodes a body read from Redis, which anyone with access to Redis may have written. Throws a `TypeError`
 * for anything {@link encodeOutcome} would not produce: oversized, not JSON, a `__proto__` key or a
 * `constructor` object anywhere (the shapes of prototype-pollution payloads), or a malformed envelope or error.
 * Never evaluates anything.
 */
export function decodeBody(body: string, limits: PayloadLimits): Envelope {
  const bytes = Buffer.byteLength(body);
  if (bytes > limits.maxResultBytes) throw new TypeError(`payload of ${bytes} bytes exceeds maxResultBytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body, rejectPollution);
  } catch (error) {
    throw new TypeError('payload is not valid: ' + (error as Error).message);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TypeError('payload must be a JSON object');
  }
  const envelope = parsed as Record<string, unknown>;
  switch (Object.hasOwn(envelope, 't') ? envelope.t : undefined) {
    case 'ok':
      return { t: 'ok', value: Object.hasOwn(envelope, 'v') ? envelope.v : undefined };
    case 'err':
      return { t: 'err', error: decodeError(envelope.e, limits.errorClasses) };
    case 'local':
      return { t: 'local' };
    case 'retry':
      return { t: 'retry' };
    default:
      throw new TypeError('payload has no valid "t" field');
  }
}

/**
 * True for data JSON carries without loss: `null`, booleans, strings, finite numbers, arrays of those (no
 * holes, no `undefined`), and objects whose prototype is `Object.prototype` or `null` with such values
 * (`undefined` properties are dropped), no `__proto__` key and no `constructor` object; nested at most 64 deep,
 * so cycles are refused too. Dates, Maps, class instances, bigints and functions are not shareable.
 */
export function isShareable(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || value[i] === undefined || !isShareable(value[i], depth + 1)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const [key, item] of Object.entries(value)) {
    if (isPollutionShape(key, item) || !isShareable(item, depth + 1)) return false;
  }
  return true;
}

function rejectPollution(key: string, value: unknown): unknown {
  if (isPollutionShape(key, value)) throw new TypeError(`refusing key ${JSON.stringify(key)}`);
  return value;
}

function isPollutionShape(key: string, value: unknown): boolean {
  return key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null);
}

/** Replaces non-plain thrown values (at any depth of `cause`/`errors`) by errors describing them. */
function shareableError(encoded: EncodedError): EncodedError {
  if (encoded.kind === 'value') {
    return isShareable(encoded.value, 0)
      ? encoded
      : encodeError(new Error(`a value that cannot be shared was thrown: ${describe(encoded.value)}`));
  }
  return {
    ...encoded,
    ...(encoded.cause === undefined ? {} : { cause: shareableError(encoded.cause) }),
    ...(encoded.errors === undefined ? {} : { errors: encoded.errors.map(shareableError) }),
  };
}
