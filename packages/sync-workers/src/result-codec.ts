import { decodeError, encodeError } from '@shared-call/core';
import { deserialize, serialize } from 'node:v8';
import { quoteKey } from './quote-key.js';

/** A flight's outcome, serialized for the waiters, or the error everyone gets because it cannot be. */
export type Serialized = { readonly bytes: Buffer } | { readonly unshareable: Error };

/**
 * Serializes a flight's outcome with v8's structured clone. A thrown value is first encoded with core's
 * `encodeError`, which keeps class, name, message, stack, `code`, `cause` and AggregateError's `errors`
 * (structured clone alone would drop most of them). An outcome that cannot be cloned, or is larger than
 * `maxBytes`, becomes `unshareable`: a `DataCloneError` DOMException or a `RangeError` naming the key.
 */
export function serializeOutcome(key: string, outcome: unknown, failed: boolean, maxBytes: number): Serialized {
  let bytes: Buffer;
  try {
    bytes = serialize(failed ? encodeError(outcome) : outcome);
  } catch (error) {
    const what = failed ? 'the error thrown' : 'the result';
    const reason = error instanceof Error ? error.message : String(error);
    return { unshareable: new DOMException(`${what} for key ${quoteKey(key)} could not be cloned to other threads: ${reason}`, 'DataCloneError') };
  }
  if (bytes.length > maxBytes) {
    return {
      unshareable: new RangeError(
        `the result for key ${quoteKey(key)} is ${bytes.length} bytes serialized, over maxResultBytes (${maxBytes})`,
      ),
    };
  }
  return { bytes };
}

/** Serializes an error the coalescer itself raised for a flight (always cloneable, and small). */
export function serializeFailure(error: Error): Buffer {
  return serialize(encodeError(error));
}

/**
 * Rebuilds an outcome serialized by {@link serializeOutcome} (a thrown value is decoded with core's
 * `decodeError`). The bytes are copied out of `shared` first: Node's deserializer returns typed arrays as views
 * of its input, which must not alias memory that the next flight will overwrite.
 */
export function deserializeOutcome(shared: Uint8Array, failed: boolean): unknown {
  const value: unknown = deserialize(shared.slice());
  return failed ? decodeError(value) : value;
}
