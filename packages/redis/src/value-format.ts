/**
 * The exact codec for the values a flight hands to other processes (value-encoder.ts, value-decoder.ts), as
 * JSON text. Either the decoded value is indistinguishable from the encoded one (same prototypes, own keys in
 * order, `undefined` properties, -0, NaN, holes, shared references and cycles), or encoding refuses with
 * {@link Unshareable}: nothing is ever carried approximately. The format, one JSON value per JavaScript value:
 *
 * - a string, `true`, `false`, `null`, or a finite number other than -0: itself;
 * - anything else is an array whose first element is a tag:
 *   `["u"]` undefined · `["n","NaN"|"Infinity"|"-Infinity"|"-0"]` · `["b","-1f"]` bigint (hexadecimal) ·
 *   `["r",id]` the object numbered `id` again (objects are numbered 0, 1, … in the order they are first met) ·
 *   `["a",…items]` an array, `["h"]` marking a hole · `["o",key,value,…]` an object of `Object.prototype`,
 *   `["0",key,value,…]` one with a null prototype · `["d",ms|null]` a Date · `["m",key,value,…]` a Map ·
 *   `["s",…items]` a Set · `["t",type,base64]` an ArrayBuffer, a Buffer or a typed array ·
 *   `["e",parts]` an error, `parts` being core's `encodeErrorExactly` output (itself encoded here).
 *
 * Only own data properties that are enumerable and string-keyed are carried, and only on objects whose
 * prototype is exactly one of the above; a getter is never run, a proxy never touched. Keys `__proto__` and
 * `constructor` (with an object value) are refused both ways: they are the shapes of prototype-pollution
 * payloads.
 */

/** Why a value cannot be carried exactly (or within the budget); the leader tells waiters to run `fn` themselves. */
export class Unshareable extends Error {
  override name = 'Unshareable';
}

/** Nesting of objects accepted, both ways. */
export const MAX_DEPTH = 64;

/** The binary types carried, by the name the format uses, with how to rebuild one from its bytes. */
export const TYPED = new Map<string, { prototype: object; from(bytes: Buffer): object }>([
  ['ArrayBuffer', { prototype: ArrayBuffer.prototype, from: (b) => copyBytes(b) }],
  ['Buffer', { prototype: Buffer.prototype, from: (b) => Buffer.from(b) }],
  ...[
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
  ].map((C) => [C.name, { prototype: C.prototype, from: (b: Buffer) => new C(copyBytes(b, C.BYTES_PER_ELEMENT)) }] as const),
]);
/** The format's name of each binary type, by prototype (so subclasses are not taken for their base). */
export const TYPED_NAMES = new Map([...TYPED].map(([name, { prototype }]) => [prototype, name]));

/** A copy of `bytes` in an ArrayBuffer of its own; a `TypeError` unless the length is a multiple of `unit`. */
function copyBytes(bytes: Buffer, unit = 1): ArrayBuffer {
  if (bytes.length % unit !== 0) throw new TypeError('payload: bad typed array length');
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/** `__proto__`, or `constructor` holding an object: the shapes of prototype-pollution payloads. */
export function isPollutionShape(key: string, value: unknown): boolean {
  return key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null);
}
