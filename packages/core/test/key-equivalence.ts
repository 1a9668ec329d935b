import { types } from 'node:util';
import { runInNewContext } from 'node:vm';

/**
 * The rule of docs/api.md ("Which arguments share a key"), written independently of the key builder: a direct
 * side-by-side comparison, with its own way to tell kinds apart (Node's `util.types` brand checks and a list of
 * known realms' prototypes). The property tests check `argumentsKey(a) === argumentsKey(b)` against it.
 */
export function equivalentLists(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => equivalent(x, b[i], [], []));
}

/** ES2024's resizable ArrayBuffer, which Node 20 has and TypeScript's ES2023 library does not declare. */
export type Resizable = ArrayBuffer & { readonly resizable: boolean; readonly maxByteLength: number };
export type ResizableConstructor = new (length: number, options?: { maxByteLength: number }) => Resizable;

/** Another realm, as a vm context or an iframe gives one. */
export const otherRealm = runInNewContext('this') as typeof globalThis;

export const TYPED_ARRAY_NAMES = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;
const CONTENT_KINDS = ['Object', 'Array', 'Date', 'RegExp', 'Map', 'Set', 'ArrayBuffer', 'DataView', ...TYPED_ARRAY_NAMES];

/** Prototype → kind, for this realm, a vm realm, and the realm Node's own built-ins (structuredClone) create in. */
const kindByPrototype = new Map<object, string>([[Buffer.prototype, 'Buffer']]);
for (const realm of [globalThis, otherRealm]) {
  for (const name of CONTENT_KINDS) {
    kindByPrototype.set((realm as unknown as Record<string, { prototype: object }>)[name].prototype, name);
  }
}
for (const sample of [{}, [], new Date(0), /x/, new Map(), new Set(), new ArrayBuffer(1), new DataView(new ArrayBuffer(1))]) {
  const clone = structuredClone(sample) as object;
  kindByPrototype.set(Object.getPrototypeOf(clone) as object, kindByPrototype.get(Object.getPrototypeOf(sample) as object)!);
}
for (const name of TYPED_ARRAY_NAMES) {
  kindByPrototype.set(Object.getPrototypeOf(structuredClone(new globalThis[name](1))) as object, name);
}

/** Brand checks: an object of a kind must have that kind's internal slots, whatever its prototype says. */
const hasSlots: Record<string, (value: object) => boolean> = {
  Object: () => true,
  Array: (value) => Array.isArray(value),
  Date: types.isDate,
  RegExp: types.isRegExp,
  Map: types.isMap,
  Set: types.isSet,
  ArrayBuffer: types.isArrayBuffer,
  DataView: types.isDataView,
  Buffer: (value) => types.isUint8Array(value),
};
for (const name of TYPED_ARRAY_NAMES) {
  hasSlots[name] = (value) => types.isTypedArray(value) && Object.prototype.toString.call(value) === `[object ${name}]`;
}

/** The kind deciding how a value compares: a content kind, `'Null'` (null-prototype object) or `'identity'`. */
function kindOf(value: object): string {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return 'Null';
  const kind = kindByPrototype.get(proto);
  return kind !== undefined && hasSlots[kind](value) ? kind : 'identity';
}

function equivalent(x: unknown, y: unknown, xPath: object[], yPath: object[]): boolean {
  if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) return Object.is(x, y);
  const [xUp, yUp] = [xPath.indexOf(x), yPath.indexOf(y)];
  if (xUp !== -1 || yUp !== -1) return xUp !== -1 && yUp !== -1 && xPath.length - xUp === yPath.length - yUp;
  const kind = kindOf(x);
  if (kind === 'identity' || kindOf(y) === 'identity') return x === y;
  if (kindOf(y) !== kind) return false;
  const [xs, ys] = [[...xPath, x], [...yPath, y]];
  const same = (a: unknown, b: unknown) => equivalent(a, b, xs, ys);
  switch (kind) {
    case 'Object':
    case 'Null':
      return sameProperties(x, y, Object.keys(x), Object.keys(y), same);
    case 'Array':
      return sameArrays(x as unknown[], y as unknown[], same);
    case 'Date':
      return Object.is((x as Date).getTime(), (y as Date).getTime()) && sameExtras(x, y, same);
    case 'RegExp': {
      const [a, b] = [x as RegExp, y as RegExp];
      return a.source === b.source && a.flags === b.flags && same(a.lastIndex, b.lastIndex) && sameExtras(x, y, same);
    }
    case 'Map':
      return sameMultisets([...(x as Map<unknown, unknown>)], [...(y as Map<unknown, unknown>)], ([k1, v1], [k2, v2]) => same(k1, k2) && same(v1, v2)) && sameExtras(x, y, same);
    case 'Set':
      return sameMultisets([...(x as Set<unknown>)], [...(y as Set<unknown>)], same) && sameExtras(x, y, same);
    case 'ArrayBuffer': {
      const [a, b] = [x as Resizable, y as Resizable];
      return a.resizable === b.resizable && a.maxByteLength === b.maxByteLength && Buffer.from(a).equals(Buffer.from(b)) && sameExtras(x, y, same);
    }
    case 'DataView':
      return bytesOf(x as DataView).equals(bytesOf(y as DataView)) && sameExtras(x, y, same);
    default: // typed arrays and Buffers: the bytes they view; their other properties are not compared
      return bytesOf(x as ArrayBufferView).equals(bytesOf(y as ArrayBufferView));
  }
}

const bytesOf = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength);

const isIndex = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

function sameArrays(x: unknown[], y: unknown[], same: (a: unknown, b: unknown) => boolean): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (i in x !== i in y || (i in x && !same(x[i], y[i]))) return false;
  }
  const named = (array: unknown[]) => Object.keys(array).filter((key) => !isIndex(key));
  return sameProperties(x, y, named(x), named(y), same);
}

/** Own enumerable properties other than the kind's content (Dates, RegExps, Maps, Sets, ArrayBuffers, DataViews). */
function sameExtras(x: object, y: object, same: (a: unknown, b: unknown) => boolean): boolean {
  return sameProperties(x, y, Object.keys(x), Object.keys(y), same);
}

/** The same string keys (given) and enumerable symbol keys, with equivalent values; order does not matter. */
function sameProperties(
  x: object,
  y: object,
  xKeys: string[],
  yKeys: string[],
  same: (a: unknown, b: unknown) => boolean,
): boolean {
  const symbols = (o: object) => Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s));
  const [xAll, yAll]: PropertyKey[][] = [[...xKeys, ...symbols(x)], [...yKeys, ...symbols(y)]];
  const [xr, yr] = [x as Record<PropertyKey, unknown>, y as Record<PropertyKey, unknown>];
  return xAll.length === yAll.length && xAll.every((key) => yAll.includes(key) && same(xr[key], yr[key]));
}

/** Whether the items pair up one to one under `same` (an equivalence, so greedy pairing is exact). */
function sameMultisets<T>(x: T[], y: T[], same: (a: T, b: T) => boolean): boolean {
  if (x.length !== y.length) return false;
  const unpaired = [...y];
  return x.every((item) => {
    const at = unpaired.findIndex((other) => same(item, other));
    return at !== -1 && unpaired.splice(at, 1).length === 1;
  });
}
