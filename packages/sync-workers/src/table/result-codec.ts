import { decodeError, encodeError, quote, withCode } from '@shared-call/core/internal';
import { deserialize, serialize } from 'node:v8';

/**
 * How a result's bytes are encoded. Primitives take a fast path (v8's serializer costs microseconds even for
 * a number, several times a wake-up); everything else, and every thrown value, is v8's structured clone.
 */
const FORMAT_V8 = 0;
const FORMAT_NUMBER = 1; // float64 in the platform's byte order, which every thread of a process shares
const FORMAT_STRING = 2; // UTF-16LE code units, so lone surrogates survive
const FORMAT_UNDEFINED = 3;
const FORMAT_NULL = 4;
const FORMAT_TRUE = 5;
const FORMAT_FALSE = 6;

/** An outcome encoded for the waiters. */
export interface Encoded {
  readonly bytes: Uint8Array;
  readonly format: number;
}

/** A flight's outcome, encoded for the waiters, or the error everyone gets because it cannot be. */
export type Serialized = Encoded | { readonly unshareable: Error };

const NO_BYTES = new Uint8Array(0);
/**
 * A number's 8 bytes, written and read through a Float64Array of this thread: creating a DataView over shared
 * memory (or a Float64Array per number) costs more than the rest of a leader's publishing or a waiter's reading.
 * The encoded bytes of a number are this scratch: valid until the thread encodes the next one (the leader
 * copies them into the slot at once).
 */
const numberScratch = new Float64Array(1);
const numberScratchBytes = new Uint8Array(numberScratch.buffer);
/** The same for reading, apart so that a read can never overwrite a number encoded and not yet copied. */
const readScratch = new Float64Array(1);
const readScratchBytes = new Uint8Array(readScratch.buffer);

/**
 * Encodes a flight's outcome for its waiters (the leader itself always gets its outcome as it is).
 *
 * - A value that cannot be cloned, or is larger than `maxBytes` serialized, becomes `unshareable`: a
 *   `DataCloneError` DOMException or a `RangeError` naming the key, which the waiters throw instead.
 * - A thrown value is first encoded with core's `encodeError`, which keeps class, name, message, stack, `code`,
 *   `cause` and AggregateError's `errors` (structured clone alone would drop most of them). Any part of it that
 *   structured clone refuses (a function or a symbol in a `cause`, in a field, or thrown as such) is replaced by
 *   a string describing it, so waiters always get the error itself: see {@link serializeFailure}.
 */
export function serializeOutcome(key: string, outcome: unknown, failed: boolean, maxBytes: number): Serialized {
  let encoded: Encoded;
  try {
    encoded = failed ? serializeFailure(outcome) : encodeValue(outcome);
  } catch (error) {
    const what = failed ? 'the error thrown' : 'the result';
    const reason = error instanceof Error ? error.message : String(error);
    return { unshareable: new DOMException(`${what} for key ${quote(key)} could not be cloned to other threads: ${reason}`, 'DataCloneError') };
  }
  if (encoded.bytes.length > maxBytes) {
    return {
      unshareable: withCode(
        new RangeError(
          `the result for key ${quote(key)} is ${encoded.bytes.length} bytes serialized, over maxResultBytes (${maxBytes})`,
        ),
        'ERR_SHARED_CALL_RESULT_TOO_LARGE',
      ),
    };
  }
  return encoded;
}

/**
 * Encodes a thrown value. Parts that structured clone refuses become descriptions such as
 * `"[uncloneable function retry]"`, whatever fields the encoded error has.
 */
export function serializeFailure(thrown: unknown): Encoded {
  const encoded = encodeError(thrown);
  let bytes: Uint8Array;
  try {
    bytes = serialize(encoded);
  } catch {
    bytes = serialize(describeUncloneable(encoded, new Map()));
  }
  return { bytes, format: FORMAT_V8 };
}

/**
 * A copy of `value` in which every part that structured clone refuses is replaced by a string describing it;
 * parts that clone are kept as they are (objects that do not clone as a whole are copied field by field).
 */
function describeUncloneable(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value === 'function') return `[uncloneable function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return `[uncloneable ${value.toString()}]`;
  if (typeof value !== 'object' || value === null) return value;
  if (copies.has(value)) return copies.get(value);
  try {
    serialize(value);
    return value;
  } catch {
    // copied below
  }
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  copies.set(value, copy);
  for (const [key, part] of Object.entries(value)) (copy as Record<string, unknown>)[key] = describeUncloneable(part, copies);
  return copy;
}

/**
 * Rebuilds an outcome encoded by {@link serializeOutcome} from its bytes in shared memory (a thrown value is
 * decoded with core's `decodeError`). Structured-clone bytes are copied out first: Node's deserializer returns
 * typed arrays as views of its input, which must not alias memory that the next flight will overwrite.
 */
export function deserializeOutcome({ bytes, format }: Encoded, failed: boolean): unknown {
  switch (format) {
    case FORMAT_NUMBER:
      for (let i = 0; i < 8; i++) readScratchBytes[i] = bytes[i]!;
      return readScratch[0];
    case FORMAT_STRING:
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le');
    case FORMAT_UNDEFINED:
      return undefined;
    case FORMAT_NULL:
      return null;
    case FORMAT_TRUE:
      return true;
    case FORMAT_FALSE:
      return false;
  }
  const value: unknown = deserialize(bytes.slice());
  return failed ? decodeError(value) : value;
}

function encodeValue(value: unknown): Encoded {
  switch (typeof value) {
    case 'number':
      numberScratch[0] = value;
      return { bytes: numberScratchBytes, format: FORMAT_NUMBER };
    case 'string':
      return { bytes: Buffer.from(value, 'utf16le'), format: FORMAT_STRING };
    case 'boolean':
      return { bytes: NO_BYTES, format: value ? FORMAT_TRUE : FORMAT_FALSE };
    case 'undefined':
      return { bytes: NO_BYTES, format: FORMAT_UNDEFINED };
  }
  return value === null ? { bytes: NO_BYTES, format: FORMAT_NULL } : { bytes: serialize(value), format: FORMAT_V8 };
}
