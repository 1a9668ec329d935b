import objectHash from 'object-hash';
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
 * length-prefixed so no content can forge a separator; functions are encoded by identity; other objects by an
 * object-hash digest that ignores property order (Dates, Maps, Sets, typed arrays and nesting included).
 * Symbols have no stable value and are rejected unless registered with `Symbol.for`.
 */
export function argumentKey(value: unknown): string {
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
    case 'function':
      return 'F' + identityOf(value);
    case 'symbol': {
      const name = Symbol.keyFor(value);
      if (name === undefined) {
        throw new TypeError(`cannot build an automatic key from ${describe(value)}: pass keyFn to name the call`);
      }
      return 'y' + name.length + ':' + name;
    }
    default:
      return value === null ? 'l' : 'o' + objectHash(value as object);
  }
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
