import fc from 'fast-check';

/** An error class the tests register in `errorClasses`. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  status = 404;
}

/** A class no test registers. */
export class Point {
  constructor(
    readonly x = 1,
    readonly y = 2,
  ) {}
}

class Tagged extends Array<unknown> {}

const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());
/** Keys, less those refused by design (`__proto__`, `constructor`) or carried by an error's own parts. */
const key = fc
  .oneof(text, fc.constantFrom('a', 'b', '0', '1', 'length', 'toString', 'name', 'status'))
  .filter((k) => !['__proto__', 'constructor', 'message', 'stack', 'cause', 'errors'].includes(k));

const leaf = fc.oneof(
  text,
  fc.double(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, Number.MAX_VALUE, 5e-324),
  fc.integer(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: false }),
  fc.uint8Array().map((bytes) => Buffer.from(bytes)),
  fc.uint8Array(),
  fc.float64Array(),
  fc.int32Array(),
  fc.bigInt64Array(),
  fc.uint8Array().map((bytes) => bytes.slice().buffer),
);

/** Properties defined as an assignment would (so `__proto__` and `constructor` keys are own data too). */
function withProperties(target: object, entries: [string, unknown][]): object {
  for (const [k, v] of entries) Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
  return target;
}

const entries = (value: fc.Arbitrary<unknown>) => fc.array(fc.tuple(key, value), { maxLength: 5 });

/** Values the codec carries exactly (some with `__proto__`/`constructor` keys, which it refuses by design). */
export const exactValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.sparseArray(tie('value'), { maxLength: 6 }),
    entries(tie('value')).map((e) => withProperties({}, e)),
    entries(tie('value')).map((e) => withProperties(Object.create(null), e)),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((pairs) => new Map(pairs)),
    fc.array(tie('value'), { maxLength: 4 }).map((items) => new Set(items)),
    fc.tuple(text, entries(tie('value')), fc.constantFrom(Error, TypeError, RangeError, NotFoundError)).map(
      // (A `name` field that is not a string makes even reading `stack` throw: such errors are not shared.)
      ([message, fields, Class]) => withProperties(new Class(message), fields.filter(([k]) => k !== 'name')),
    ),
    fc.tuple(text, tie('value')).map(([message, cause]) => new Error(message, { cause })),
    tie('value').map((inner) => {
      const shared = { inner };
      return { first: shared, second: shared };
    }),
    tie('value').map((inner) => {
      const cycle: Record<string, unknown> = { inner };
      cycle.self = cycle;
      return cycle;
    }),
  ),
})).value;

/** Values that would cross only approximately: the codec must refuse each of them. */
export const inexactValue: fc.Arbitrary<unknown> = fc
  .tuple(
    exactValue,
    fc.constantFrom<(inner: unknown) => unknown>(
      () => new Point(),
      () => Tagged.from([1]),
      () => () => 1,
      () => Symbol('s'),
      () => Object.defineProperty({}, 'lazy', { get: () => 1, enumerable: true }),
      () => Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }),
      () => ({ [Symbol('k')]: 1 }),
      () => Object.assign([1], { extra: true }),
      () => Object.assign(new Date(0), { extra: true }),
      () => Object.assign(new Map(), { extra: true }),
      () => Object.assign(Buffer.from('ab'), { extra: true }),
      () => Object.assign(new Float64Array(2), { [Symbol('s')]: 1 }),
      () => new (class Unregistered extends Error {})('u'),
      () => new Proxy({}, {}),
      () => new DataView(new ArrayBuffer(2)),
      () => new WeakMap(),
      () => Object(1),
      () => /re/g,
    ),
    fc.boolean(),
  )
  .map(([inner, make, nested]) => (nested ? [inner, { deep: make(inner) }] : make(inner)));
