import fc from 'fast-check';
import { types } from 'node:util';
import { argumentKey, argumentsKey } from '@shared-call/core/internal';
import { equivalentLists, otherRealm, TYPED_ARRAY_NAMES, type Resizable, type ResizableConstructor } from './key-equivalence';

// Automatic keys against the written rule (docs/api.md, "Which arguments share a key"), implemented apart in
// key-equivalence.ts: for generated argument lists a and b, equal keys exactly when the rule says equivalent.

/**
 * Values shared between generated lists, so that the very same one can occur on both sides: functions, symbols,
 * objects keyed by identity, and odd objects (an `arguments` object counts as a plain object).
 */
const makeClosure = (id: number) => (row: number) => row === id; // same source text, different closures
class Point {
  constructor(readonly x: number) {}
}
class TaggedMap extends Map<unknown, unknown> {}
const shared: unknown[] = [
  makeClosure(1), makeClosure(2), Math.max, async () => 1,
  Symbol('tag'), Symbol('tag'), Symbol.iterator, Symbol.for('tag'), Symbol.for('other'),
  new Point(1), new Point(1), new TaggedMap(), new Error('e'), Object.create(Date.prototype) as unknown,
  Object(1) as unknown, Object('s') as unknown, Promise.resolve(), new WeakMap(), new SharedArrayBuffer(2),
  (function () {
    // eslint-disable-next-line prefer-rest-params
    return arguments;
  })(),
];
const SYMBOL_KEYS = [Symbol('k'), Symbol.for('k')];

/** Strings that look like encodings of other values, and lone surrogates. */
const TRICKY_STRINGS = ['', 's1:a', 'n1', 'n-0', 'u', 'l', 't', '{1:a=n1}', '[n1]', '^1', '_', 'i1.x', 'h' + '0'.repeat(40), ',', '=', '@', '\uD800', '\uDC00', '\uD800\uDC00', 'w', 'ws1:d800'];

const primitive = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity),
  fc.bigInt({ min: -3n, max: 3n }),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(...TRICKY_STRINGS),
  fc.boolean(),
  fc.constantFrom(null, undefined),
);

const binary = fc.oneof(
  fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)),
  fc.uint8Array({ maxLength: 4 }),
  fc.float64Array({ maxLength: 2 }),
  fc.constantFrom(...TYPED_ARRAY_NAMES).map((name) => new globalThis[name](2)),
  fc.uint8Array({ maxLength: 4 }).map((bytes) => new DataView(bytes.buffer)),
  fc.uint8Array({ maxLength: 4 }).map((bytes) => bytes.buffer),
  fc.constant(new (ArrayBuffer as unknown as ResizableConstructor)(1, { maxByteLength: 4 })),
);

const leaf = fc.oneof(
  { arbitrary: primitive, weight: 6 },
  { arbitrary: fc.constantFrom(...shared), weight: 2 },
  { arbitrary: fc.date({ noInvalidDate: false }).map((date) => new Date(date.getTime())), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('a', 'a.', '(x)', '/'), fc.constantFrom('', 'g', 'i', 'gy'), fc.nat(2))
      .map(([source, flags, lastIndex]) => Object.assign(new RegExp(source, flags), { lastIndex })),
    weight: 1,
  },
  { arbitrary: binary, weight: 1 },
);

const { value } = fc.letrec<{ value: unknown; object: object }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object')),
  object: fc.oneof(
    fc.array(tie('value'), { maxLength: 4 }),
    fc.sparseArray(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', '1', '__proto__', 'constructor', '\uD800'), tie('value'), { maxKeys: 3 }),
    fc.tuple(fc.constantFrom(...SYMBOL_KEYS), tie('value')).map(([key, item]) => ({ [key]: item })),
    fc.dictionary(fc.constantFrom('a', 'b'), tie('value'), { maxKeys: 2 }).map((record) => Object.assign(Object.create(null), record) as object),
    fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => new Set(items)),
    fc.tuple(tie('value'), tie('value')).map(([a, b]) => Object.assign([a], { page: b })),
    fc.tuple(fc.date(), tie('value')).map(([date, zone]) => Object.assign(new Date(date.getTime()), { zone })),
    fc.tuple(tie('value')).map(([item]) => ({ get item() { return item; } })),
    fc.array(fc.integer(), { minLength: 60, maxLength: 120 }), // beyond the spelled length: digested
  ),
}));

const argumentLists = fc.array(value, { maxLength: 3 });

/**
 * Copies data objects (plain objects, arrays, Dates, RegExps, Maps, Sets, binary data), optionally into another
 * realm, keeping what is keyed by identity and the shape of cycles: a copy the rule calls equivalent.
 */
function copy(x: unknown, realm: typeof globalThis, seen = new Map<object, object>()): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (seen.has(x)) return seen.get(x);
  const proto = Object.getPrototypeOf(x) as object | null;
  const remember = <T extends object>(made: T) => (seen.set(x, made), made);
  const extras = (made: object) => {
    for (const key of Reflect.ownKeys(x)) {
      const descriptor = Object.getOwnPropertyDescriptor(x, key)!;
      if (!descriptor.enumerable || (Array.isArray(x) && typeof key === 'string' && /^\d+$/.test(key))) continue;
      Object.defineProperty(made, key, { ...descriptor, enumerable: true, ...('value' in descriptor ? { value: copy(descriptor.value, realm, seen) } : {}) });
    }
    return made;
  };
  if (proto === Object.prototype || proto === null) return extras(remember(proto === null ? Object.create(null) : new realm.Object()));
  if (Array.isArray(x) && proto === Array.prototype) {
    const made = remember(new realm.Array(x.length));
    x.forEach((item, i) => (made[i] = copy(item, realm, seen)));
    return extras(made);
  }
  if (types.isDate(x) && proto === Date.prototype) return extras(remember(new realm.Date(x.getTime())));
  if (types.isRegExp(x) && proto === RegExp.prototype) return extras(Object.assign(remember(new realm.RegExp(x.source, x.flags)), { lastIndex: x.lastIndex }));
  if (types.isMap(x) && proto === Map.prototype) {
    const made = remember(new realm.Map());
    x.forEach((v, k) => made.set(copy(k, realm, seen), copy(v, realm, seen)));
    return extras(made);
  }
  if (types.isSet(x) && proto === Set.prototype) {
    const made = remember(new realm.Set());
    x.forEach((v) => made.add(copy(v, realm, seen)));
    return extras(made);
  }
  if (Buffer.isBuffer(x)) return Buffer.from(x);
  if (types.isDataView(x)) return new realm.DataView(new realm.Uint8Array(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)).buffer);
  if (ArrayBuffer.isView(x) && proto !== null) return new (realm as unknown as Record<string, new (source: ArrayBufferView) => object>)[x.constructor.name](x);
  if (types.isArrayBuffer(x) && proto === ArrayBuffer.prototype) {
    const { resizable, maxByteLength } = x as Resizable;
    const made = new (realm.ArrayBuffer as unknown as ResizableConstructor)(x.byteLength, resizable ? { maxByteLength } : undefined);
    new realm.Uint8Array(made).set(new Uint8Array(x));
    return made;
  }
  return x; // keyed by identity
}

/** A place holding a value inside an argument list: a property, an array item, a Map value or a Set member. */
interface Slot {
  get(): unknown;
  set(value: unknown): void;
  remove(): void;
  /** The object holding the slot, which some changes add a property to. */
  holder: object;
}

/** Every slot of `x` down to a small depth, over plain objects, arrays, Maps and Sets of this realm. */
function slotsOf(x: unknown, depth = 0, into: Slot[] = []): Slot[] {
  if (typeof x !== 'object' || x === null || depth > 4) return into;
  const proto = Object.getPrototypeOf(x) as object | null;
  const record = x as Record<PropertyKey, unknown>;
  const children: unknown[] = [];
  if (proto === null || proto === Object.prototype || (proto === Array.prototype && Array.isArray(x))) {
    for (const key of Reflect.ownKeys(x)) {
      if (!Object.getOwnPropertyDescriptor(x, key)?.writable || (Array.isArray(x) && key === 'length')) continue;
      into.push({ holder: x, get: () => record[key], set: (v) => (record[key] = v), remove: () => delete record[key] });
      children.push(record[key]);
    }
  } else if (types.isMap(x) && proto === Map.prototype) {
    for (const [key, item] of x) {
      into.push({ holder: x, get: () => x.get(key), set: (v) => x.set(key, v), remove: () => x.delete(key) });
      children.push(item);
    }
  } else if (types.isSet(x) && proto === Set.prototype) {
    for (const member of x) {
      const set = (v: unknown) => (x.delete(member), x.add(v));
      into.push({ holder: x, get: () => member, set, remove: () => x.delete(member) });
      children.push(member);
    }
  }
  for (const child of children) slotsOf(child, depth + 1, into);
  return into;
}

/** The same content in a new object (property, entry or member order reversed), or with another prototype. */
function rebuilt(x: object, reorder: boolean): object {
  const proto = Object.getPrototypeOf(x) as object | null;
  if (types.isMap(x)) return new Map([...x].reverse());
  if (types.isSet(x)) return new Set([...x].reverse());
  const entries = Object.entries(x);
  if (reorder) return Object.assign(Array.isArray(x) ? [] : Object.create(proto) as object, Object.fromEntries(entries.reverse()));
  return Object.assign(proto === Object.prototype ? Object.create(null) as object : {}, Object.fromEntries(entries));
}

/** The same bytes seen as another kind of view (or, for other values, the value itself). */
function otherView(x: unknown, choice: number): unknown {
  if (!ArrayBuffer.isView(x)) return x;
  const bytes = new Uint8Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
  const views = [Buffer.from(bytes), new Uint8Array(bytes), new Int8Array(bytes.buffer.slice(0)), new DataView(bytes.buffer.slice(0))];
  return views[choice % views.length];
}

/**
 * A list derived from a copy of `list` by one small change, at the place and of the kind `choice` picks: the
 * rule decides whether it is still equivalent (reordering is; most changes are not; some change nothing).
 */
function mutate(list: unknown[], choice: number, replacement: unknown): unknown[] {
  const copied = copy(list, globalThis) as unknown[];
  const slots = slotsOf(copied);
  if (slots.length === 0) return [...copied, replacement];
  const slot = slots[choice % slots.length];
  const old = slot.get();
  switch ((choice >> 4) % 12) {
    case 0: return slot.set(replacement), copied;
    case 1: return slot.set(typeof old === 'number' ? (old === 0 ? -old : -old || 0) : old), copied;
    case 2: return slot.remove(), copied; // a hole in an array, a missing property or entry
    case 3: return slot.set(typeof old !== 'string' ? String(old === undefined ? 'u' : 'n') : old.includes('\uD800') ? old.replace('\uD800', '\uDC00') : old + 'x'), copied;
    case 4: return slot.set(typeof old === 'object' && old !== null ? argumentKey(old) : old), copied; // its own encoding
    case 5: return slot.set(typeof old === 'function' ? makeClosure(1) : old), copied; // same source text
    case 6: return Object.assign(slot.holder, { extra: replacement }), copied;
    case 7: return slot.set(typeof old === 'object' && old !== null ? rebuilt(old, true) : old), copied;
    case 8: return slot.set(typeof old === 'object' && old !== null ? rebuilt(old, false) : old), copied;
    case 9: return slot.set(otherView(old, choice)), copied;
    case 10: return slot.set(types.isRegExp(old) ? Object.assign(old, { lastIndex: old.lastIndex + 1 }) : old), copied;
    default: { // an item joined with the next one's encoding into one string: `['a', 'b']` against `['a,sb']`
      const holder = slot.holder;
      if (!Array.isArray(holder) || holder.length < 2) return copied;
      const first: unknown = holder[0];
      holder.splice(0, 2, (typeof first === 'string' ? first : argumentKey(first)) + ',' + argumentKey(holder[1]));
      return copied;
    }
  }
}

/**
 * A chain of `kinds.length` nested data objects (plain object, array, Map or Set by kind) whose innermost holds a
 * reference `distance` levels up: cyclic data whose cycles close at a chosen place.
 */
function chain(kinds: number[], distance: number, leafValue: unknown): unknown {
  const nodes = kinds.map((kind) => [{}, [], new Map(), new Set()][kind % 4]);
  const put = (node: object, item: unknown) => {
    if (node instanceof Map) node.set('next', item);
    else if (node instanceof Set) node.add(item);
    else if (Array.isArray(node)) node.push(item);
    else (node as Record<string, unknown>).next = item;
  };
  nodes.forEach((node, i) => put(node, i + 1 < nodes.length ? nodes[i + 1] : leafValue));
  put(nodes[nodes.length - 1], nodes[nodes.length - 1 - (distance % nodes.length)]);
  return nodes[0];
}

/** Equal keys exactly when equivalent; keys are well-formed Unicode, so that UTF-8 keeps them apart too. */
const checkPair = (a: unknown[], b: unknown[]) => {
  const [x, y] = [argumentsKey(a), argumentsKey(b)];
  expect(x === y).toBe(equivalentLists(a, b));
  expect([x, y].every((key) => Buffer.from(key).toString() === key)).toBe(true);
};

describe('automatic keys follow the written equivalence (property)', () => {
  test('unrelated lists: equal keys exactly when equivalent', () => {
    fc.assert(fc.property(argumentLists, argumentLists, checkPair), { numRuns: 1_500 });
  });

  test('a copy, in this realm or another, gets the same key', () => {
    fc.assert(
      fc.property(argumentLists, fc.boolean(), (a, otherOne) => {
        const b = copy(a, otherOne ? otherRealm : globalThis) as unknown[];
        expect(equivalentLists(a, b)).toBe(true);
        expect(argumentsKey(b)).toBe(argumentsKey(a));
      }),
      { numRuns: 800 },
    );
  });

  test('one small change: equal keys exactly when the rule still calls the lists equivalent', () => {
    fc.assert(
      fc.property(argumentLists, fc.nat(), value, (a, choice, replacement) => checkPair(a, mutate(a, choice, replacement))),
      { numRuns: 4_000 },
    );
  });

  test('cyclic data: equal keys exactly when cycles close at the same places', () => {
    const kinds = fc.array(fc.nat(3), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(kinds, kinds, fc.nat(), fc.nat(), leaf, (k1, k2, d1, d2, item) => {
        const [x, y] = [chain(k1, d1, item), chain(k2, d2, item)];
        checkPair([x], [y]);
        checkPair([x], [copy(x, otherRealm)]);
        checkPair([x, y], [y, x]);
      }),
      { numRuns: 1_500 },
    );
  });

  test('strings near each other (separators, tags, lone surrogates) in every place a string is spelled', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 's', '1', ':', ',', '=', '{', '\uD800', '\uDC00'), maxLength: 4 });
    const places = (t: string) => [t, { [t]: 1 }, [t, 'a'], Symbol.for(t), new RegExp(t.replace(/[{\\]/g, 'x'), 'u')];
    fc.assert(
      fc.property(text, text, (a, b) => places(a).forEach((x, i) => checkPair([x], [places(b)[i]]))),
      { numRuns: 1_500 },
    );
  });

  test('holes, undefined and missing items of arrays', () => {
    const items = fc.sparseArray(fc.constantFrom(undefined, 0), { maxLength: 4 });
    fc.assert(fc.property(items, items, (a, b) => checkPair([a], [b])), { numRuns: 1_000 });
  });

  test('each argument alone, and a list of one argument, agree', () => {
    fc.assert(fc.property(value, (x) => expect(argumentsKey([x])).toBe(argumentKey(x))), { numRuns: 300 });
  });
});
