import { contentHash } from './content-hash.js';
import { DATA_KINDS } from './data-kinds.js';
import { identityOf, identityToken } from './identity.js';
import { intrinsicNameOf } from './intrinsics.js';

export { identityOf } from './identity.js';

/**
 * Encodes one argument so that two arguments get the same text exactly when they are equivalent under the rule
 * of docs/api.md ("Which arguments share a key"): primitives by type and `Object.is`; functions, symbols that
 * are not registered, and objects that are not data by identity; plain objects, arrays, Dates, RegExps, Maps,
 * Sets and binary data by content, in a canonical order. The text is injective by construction: every part is
 * tagged and either length-prefixed or closed by a character its content cannot hold, so no string (or other
 * value) can forge another value's text. It is also well-formed Unicode (see {@link stringText}), so it stays
 * distinct once encoded as UTF-8. An encoding longer than {@link SPELLED_AT_MOST} characters is replaced by `h` and
 * its SHA-1 digest ({@link contentHash}), which no spelled encoding starts with.
 */
export function argumentKey(value: unknown): string {
  const text = typeof value === 'object' && value !== null ? objectText(value, []) : spell(value, NOTHING_ENCLOSING);
  return text.length > SPELLED_AT_MOST ? 'h' + contentHash(text) : text;
}

/** The enclosing objects of a value that is not an object (never pushed to: only objects enclose). */
const NOTHING_ENCLOSING: object[] = [];

/** Longest encoding of one argument kept as is in keys; longer ones are digested. */
const SPELLED_AT_MOST = 512;

/**
 * The tagged text of `value`. `enclosing` holds the objects being spelled around it (innermost last): a
 * reference back to one of them (a cycle) is spelled `^<how many levels up>`.
 */
function spell(value: unknown, enclosing: object[]): string {
  switch (typeof value) {
    case 'number':
      return value === 0 && 1 / value < 0 ? 'n-0' : 'n' + value;
    case 'string':
      return stringText('s', value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return 'b' + value;
    case 'symbol':
      return symbolText(value);
    case 'function':
      return identityToken(value);
    default:
      return value === null ? 'l' : objectText(value as object, enclosing);
  }
}

/**
 * `tag`, the length, `:` and the string itself; a string that is not well-formed UTF-16 (a lone surrogate, which
 * UTF-8 would turn into U+FFFD like any other) is spelled with tag `w` as its code units in hex instead.
 */
function stringText(tag: string, value: string): string {
  if (isWellFormed(value)) return tag + value.length + ':' + value;
  let units = '';
  for (let i = 0; i < value.length; i++) units += value.charCodeAt(i).toString(16).padStart(4, '0');
  return 'w' + tag + value.length + ':' + units;
}

/** Whether `value` has no lone surrogate (`String.prototype.isWellFormed` where the engine has it). */
function isWellFormed(value: string): boolean {
  return nativeIsWellFormed !== undefined ? nativeIsWellFormed.call(value) : !LONE_SURROGATE.test(value);
}

const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A registered symbol (`Symbol.for`, the same in every realm and thread) by its name; any other by identity. */
function symbolText(symbol: symbol): string {
  const name = Symbol.keyFor(symbol);
  return name === undefined ? identityToken(symbol) : stringText('y', name);
}

/** Plain objects, arrays and the {@link DATA_KINDS} by content; a reference back up by distance; others by identity. */
function objectText(value: object, enclosing: object[]): string {
  const up = enclosing.lastIndexOf(value);
  if (up !== -1) return '^' + (enclosing.length - up);
  const proto: object | null = Object.getPrototypeOf(value);
  const kind =
    proto === Object.prototype ? 'Object' : proto === Array.prototype ? 'Array' : proto && intrinsicNameOf(proto);
  if (kind === undefined) return identityToken(value);
  enclosing.push(value);
  const text = dataText(value, kind, enclosing);
  enclosing.pop();
  return text ?? identityToken(value);
}

/** The content of `value`, whose prototype is a `kind` prototype (`null`: no prototype), or `undefined` if none. */
function dataText(value: object, kind: string | null, enclosing: object[]): string | undefined {
  if (kind === 'Object' || kind === null) {
    return (kind === null ? 'N{' : '{') + propertiesText(value, Object.keys(value), enclosing) + '}';
  }
  if (kind === 'Array') return Array.isArray(value) ? arrayText(value, enclosing) : undefined;
  const dataKind = DATA_KINDS.get(kind);
  const text = dataKind?.spell(value, (nested) => spell(nested, enclosing));
  return text === undefined || !dataKind!.extras ? text : text + extrasText(value, Object.keys(value), enclosing);
}

/** Items in order, `_` for a hole, then the properties that are not elements (see {@link extrasText}). */
function arrayText(array: unknown[], enclosing: object[]): string {
  let text = '[';
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    text += (i === 0 ? '' : ',') + (item === undefined && !(i in array) ? '_' : spell(item, enclosing));
  }
  const keys = Object.keys(array); // element indexes first, then other keys
  const named = keys.length > 0 && !isArrayIndex(keys[keys.length - 1]) ? keys.filter((k) => !isArrayIndex(k)) : [];
  return text + ']' + extrasText(array, named, enclosing);
}

function isArrayIndex(key: string): boolean {
  const index = Number(key) >>> 0;
  return String(index) === key && index !== 4294967295;
}

/** `{<properties>}` after a value's content when it has own enumerable properties (`keys`, or symbol-keyed). */
function extrasText(value: object, keys: string[], enclosing: object[]): string {
  const properties = propertiesText(value, keys, enclosing);
  return properties === '' ? '' : '{' + properties + '}';
}

/**
 * Own enumerable properties in a canonical order: the string `keys` sorted (`<length>:<key>=<value>`), then the
 * symbol keys sorted by their text (`@<symbol>=<value>`). An accessor counts with the value its getter returns.
 */
function propertiesText(value: object, keys: string[], enclosing: object[]): string {
  const record = value as Record<PropertyKey, unknown>;
  let text = '';
  for (const key of keys.sort()) {
    text += (text === '' ? '' : ',') + stringText('', key) + '=' + spell(record[key], enclosing);
  }
  const symbols = Object.getOwnPropertySymbols(value);
  if (symbols.length === 0) return text;
  const entries: string[] = [];
  for (const symbol of symbols) {
    if (Object.prototype.propertyIsEnumerable.call(value, symbol)) {
      entries.push('@' + symbolText(symbol) + '=' + spell(record[symbol], enclosing));
    }
  }
  return [text, ...entries.sort()].filter((part) => part !== '').join(',');
}

/** The argument part of an automatic key: each argument encoded by {@link argumentKey}, in order. */
export function argumentsKey(args: ArrayLike<unknown>): string {
  let key = '';
  for (let i = 0; i < args.length; i++) key += (i === 0 ? '' : ',') + argumentKey(args[i]);
  return key;
}

/** Whether every argument is a primitive (no object or function), so that its key depends on values alone. */
export function allPrimitive(args: ArrayLike<unknown>): boolean {
  for (let i = 0; i < args.length; i++) {
    const value = args[i];
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') return false;
  }
  return true;
}

/** Whether two argument lists have the same length and pairwise `Object.is` items (bar NaN: a harmless miss). */
export function sameValues(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x !== b[i] || (x === 0 && 1 / x !== 1 / (b[i] as number))) return false;
  }
  return true;
}

/** The function part of an automatic key: its name plus a per-function id, so two `load`s never collide. */
export function functionLabel(fn: object, name: string): string {
  return (name || 'anonymous') + '#' + identityOf(fn);
}

/** The instance part of a method's automatic key: object identity, never contents. */
export function instanceKey(thisArg: unknown): string {
  return (typeof thisArg === 'object' && thisArg !== null) || typeof thisArg === 'function'
    ? identityToken(thisArg)
    : argumentKey(thisArg);
}
