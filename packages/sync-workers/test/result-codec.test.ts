import fc from 'fast-check';
import { deserializeOutcome, serializeOutcome, type Encoded } from '../src/table/result-codec';

/** A value's trip to a waiter, as the codec makes it (the bytes copied out, as shared memory would be). */
function trip(value: unknown): unknown {
  const serialized = serializeOutcome('k', value, false, 1 << 20);
  if (!('bytes' in serialized)) throw serialized.unshareable;
  const copy: Encoded = { bytes: Uint8Array.from(serialized.bytes), format: serialized.format };
  return deserializeOutcome(copy, false);
}

describe('the result codec’s fast paths', () => {
  test('every number survives exactly (NaN, -0, infinities, subnormals), each read independent of the last', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 20 }), (numbers) => {
        // Each encoding copied at once, as the leader does (a number's bytes are valid until the next encode).
        const copies = numbers.map((n) => {
          const { bytes, format } = serializeOutcome('k', n, false, 1 << 20) as Encoded;
          return { bytes: Uint8Array.from(bytes), format };
        });
        // Decoded in reverse order, with an encode between reads: no scratch may leak one number into another.
        const decoded = copies.reverse().map((copy) => {
          const value = deserializeOutcome(copy, false);
          serializeOutcome('k', -1, false, 1 << 20);
          return value;
        }).reverse();
        decoded.forEach((value, i) => expect(Object.is(value, numbers[i])).toBe(true));
      }),
    );
    for (const n of [NaN, -0, 0, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE]) expect(Object.is(trip(n), n)).toBe(true);
  });

  test('other primitives and objects still take their own formats', () => {
    for (const value of ['', 'a\uD800b', true, false, null, undefined, { a: [1, 'x'] }]) expect(trip(value)).toEqual(value);
  });
});
