import { contentHash } from './content-hash.js';
import { withCode } from './error-code.js';
import { describe } from './validate.js';

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** A number unique to `value` for the life of this thread (objects and functions only; never reused). */
export function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

/**
 * Encodes one argument so that two arguments get the same text exactly when they are equal by value:
 * primitives are tagged by type (`1` ≠ `'1'`, `null` ≠ `undefined`) with no hashing; strings are
 * length-prefixed so no content can forge a separator; small plain data (plain objects and arrays of such
 * values) is spelled out canonically with sorted keys; functions are encoded by identity; other objects
 * (Dates, Maps, Sets, class instances, typed arrays, large or cyclic data) by an object-hash digest that ignores
 * property order. Symbols have no stable value and are rejected unless registered with `Symbol.for`.
 */
export function argumentKey(value: unknown): string {
  const primitive = primitiveKey(value);
  if (primitive !== undefined) return primitive;
  switch (typeof value) {
    case 'function':
      return 'F' + identityOf(value);
    case 'symbol': {
      const name = Symbol.keyFor(value);
      if (name === undefined) {
        const message = `cannot build an automatic key from ${describe(value)}: pass keyFn to name the call`;
        throw withCode(new TypeError(message), 'ERR_SHARED_CALL_UNKEYABLE_ARGUMENT');
      }
      return 'y' + name.length + ':' + name;
    }
    default: {
      const plain = plainDataKey(value as object);
      return plain !== undefined ? 'j' + plain : 'o' + contentHash(value as object);
    }
  }
}

/** The tagged text of a primitive other than a symbol, or `undefined` for anything else. */
function primitiveKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'number':
      return 'n' + value;
    case 'string':
      return 's' + value.length + ':' + value;
    case 'boolean':
      return value ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'bigint':
      return 'b' + value;
    default:
      return value === null ? 'l' : undefined;
  }
}

/** Most values (objects, arrays and leaves) that {@link plainDataKey} spells out; larger data is hashed. */
const PLAIN_DATA_NODES = 64;

/**
 * Spells out small plain data canonically: arrays in order, plain objects (prototype `Object.prototype` of any
 * realm, or `null`) by their own enumerable string keys in sorted order, leaves by {@link primitiveKey}. Returns
 * `undefined` when `value` holds anything else (a Date, a Map, a class instance, a function, a symbol) or more
 * than {@link PLAIN_DATA_NODES} values (which also stops cycles), so that the caller hashes it instead. Which
 * way a value goes depends on its structure alone, so equal values always get the same key.
 */
function plainDataKey(value: object): string | undefined {
  let budget = PLAIN_DATA_NODES;
  const spell = (node: unknown): string | undefined => {
    if (--budget < 0) return undefined;
    const primitive = primitiveKey(node);
    if (primitive !== undefined || typeof node !== 'object') return primitive;
    const proto: object | null = Object.getPrototypeOf(node);
    if (Array.isArray(node) && proto !== null && isRootPrototype(Object.getPrototypeOf(proto))) {
      let text = '[';
      for (let i = 0; i < node.length; i++) {
        const item = spell(node[i]);
        if (item === undefined) return undefined;
        text += (i === 0 ? '' : ',') + item;
      }
      return text + ']';
    }
    if (proto !== null && !isRootPrototype(proto)) return undefined;
    const record = node as Record<string, unknown>;
    let text = '{';
    for (const [i, key] of Object.keys(record).sort().entries()) {
      const item = spell(record[key]);
      if (item === undefined) return undefined;
      text += (i === 0 ? '' : ',') + key.length + ':' + key + '=' + item;
    }
    return text + '}';
  };
  return spell(value);
}

/** Whether `proto` is an `Object.prototype` (of this or another realm: a vm context, a test sandbox). */
function isRootPrototype(proto: object | null): boolean {
  return proto !== null && Object.getPrototypeOf(proto) === null;
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

/** Whether two argument lists have the same length and pairwise `===` items. */
export function sameValues(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The function part of an automatic key: its name plus a per-function id, so two `load`s never collide. */
export function functionLabel(fn: object, name: string): string {
  return (name || 'anonymous') + '#' + identityOf(fn);
}

/** The instance part of a method's automatic key: object identity, never contents. */
export function instanceKey(thisArg: unknown): string {
  return (typeof thisArg === 'object' && thisArg !== null) || typeof thisArg === 'function'
    ? 'i' + identityOf(thisArg)
    : argumentKey(thisArg);
}
