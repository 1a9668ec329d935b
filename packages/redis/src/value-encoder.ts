import { inspect, types } from 'node:util';
import type { ErrorClasses } from '@shared-call/core';
import { encodeErrorExactly } from '@shared-call/core/internal';
import { isPollutionShape, MAX_DEPTH, TYPED, TYPED_NAMES, Unshareable } from './value-format.js';

/** Encodes `value` as JSON text of at most `maxLength` UTF-16 code units; throws {@link Unshareable} otherwise. */
export function encodeValue(value: unknown, maxLength: number, classes: ErrorClasses): string {
  if (typeof value === 'string' && value.length <= maxLength) {
    const text = JSON.stringify(value); // the most common result, without an Encoder's maps
    if (text.length <= maxLength) return text;
  }
  return new Encoder(maxLength, classes).encode(value, 0);
}

class Encoder {
  #text = '';
  readonly #ids = new Map<object, number>();
  /** Errors whose parts are being encoded: a reference back to one could not be rebuilt. */
  readonly #open = new Set<object>();

  constructor(
    private readonly maxLength: number,
    private readonly classes: ErrorClasses,
  ) {}

  encode(value: unknown, depth: number): string {
    this.#value(value, depth);
    return this.#text;
  }

  #emit(text: string): void {
    if (this.#text.length + text.length > this.maxLength) throw new Unshareable('larger than maxResultBytes');
    this.#text += text;
  }

  /** Emits a string, checking its length before any work is spent on it. */
  #string(text: string): void {
    if (this.#text.length + text.length > this.maxLength) throw new Unshareable('larger than maxResultBytes');
    this.#emit(JSON.stringify(text));
  }

  #value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'string':
        return this.#string(value);
      case 'boolean':
        return this.#emit(value ? 'true' : 'false');
      case 'undefined':
        return this.#emit('["u"]');
      case 'number':
        if (Number.isFinite(value) && !Object.is(value, -0)) return this.#emit(String(value));
        return this.#emit(`["n","${Object.is(value, -0) ? '-0' : String(value)}"]`);
      case 'bigint': // in hexadecimal: decimal conversions of large bigints take quadratic time
        return this.#emit(`["b","${value < 0n ? '-' + (-value).toString(16) : value.toString(16)}"]`);
      case 'object':
        if (value === null) return this.#emit('null');
        return this.#object(value, depth);
      default:
        throw new Unshareable(`a ${typeof value} cannot be shared`);
    }
  }

  #object(object: object, depth: number): void {
    const id = this.#ids.get(object);
    if (id !== undefined) {
      if (this.#open.has(object)) throw new Unshareable('an error that contains itself cannot be shared');
      return this.#emit(`["r",${id}]`);
    }
    if (depth >= MAX_DEPTH) throw new Unshareable(`nested deeper than ${MAX_DEPTH}`);
    if (types.isProxy(object)) throw new Unshareable('a proxy cannot be shared');
    this.#ids.set(object, this.#ids.size);
    const proto: unknown = Object.getPrototypeOf(object);
    if (proto === Object.prototype || proto === null) return this.#properties(object, proto === null ? '0' : 'o', depth);
    if (proto === Array.prototype) return this.#array(object as unknown[], depth);
    if (types.isNativeError(object) || proto === DOMException.prototype) return this.#error(object as Error, depth);
    if (TYPED_NAMES.has(proto as object)) return this.#bytes(object as ArrayBufferView | ArrayBuffer);
    if (Reflect.ownKeys(object).length > 0) throw new Unshareable('an object with extra own properties');
    if (proto === Date.prototype) {
      const time = (object as Date).getTime();
      return this.#emit(`["d",${Number.isNaN(time) ? 'null' : time}]`);
    }
    if (proto === Map.prototype) return this.#items('m', flatEntries(object as Map<unknown, unknown>), depth);
    if (proto === Set.prototype) return this.#items('s', object as Set<unknown>, depth);
    throw new Unshareable('an instance of a class cannot be shared'); // (its name is not read: it could be a getter)
  }

  #properties(object: object, tag: string, depth: number): void {
    this.#emit(`["${tag}"`);
    for (const key of Reflect.ownKeys(object)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(object, key)!;
      if (typeof key === 'symbol' || !descriptor.enumerable || !('value' in descriptor)) {
        throw new Unshareable(`property ${String(key)} is not an enumerable data property`);
      }
      if (isPollutionShape(key, descriptor.value)) throw new Unshareable(`key ${key} is refused`);
      this.#emit(',');
      this.#string(key);
      this.#emit(',');
      this.#value(descriptor.value, depth + 1);
    }
    this.#emit(']');
  }

  #array(array: unknown[], depth: number): void {
    this.#emit('["a"');
    for (let i = 0; i < array.length; i++) {
      const descriptor = Reflect.getOwnPropertyDescriptor(array, i);
      if (descriptor !== undefined && !('value' in descriptor)) throw new Unshareable(`element ${i} is an accessor`);
      this.#emit(',');
      if (descriptor === undefined) this.#emit('["h"]');
      else this.#value(descriptor.value, depth + 1);
    }
    if (hasNamedProperties(array, new Array(array.length))) throw new Unshareable('an array with extra properties');
    this.#emit(']');
  }

  #items(tag: string, items: Iterable<unknown>, depth: number): void {
    this.#emit(`["${tag}"`);
    for (const item of items) {
      this.#emit(',');
      this.#value(item, depth + 1);
    }
    this.#emit(']');
  }

  /** Emits an ArrayBuffer, a Buffer or a typed array (fixed-length only), checking its size first. */
  #bytes(binary: ArrayBufferView | ArrayBuffer): void {
    const view = ArrayBuffer.isView(binary);
    const buffer = view ? binary.buffer : binary;
    if (!types.isArrayBuffer(buffer) || (buffer as { resizable?: boolean }).resizable === true) {
      throw new Unshareable('views of shared or resizable buffers cannot be shared');
    }
    const bytes = view ? Buffer.from(buffer, binary.byteOffset, binary.byteLength) : Buffer.from(buffer);
    if (this.#text.length + Math.ceil(bytes.length / 3) * 4 > this.maxLength) throw new Unshareable('larger than maxResultBytes');
    if (view ? hasNamedProperties(binary, blankView(binary)) : Reflect.ownKeys(binary).length > 0) {
      throw new Unshareable('a binary value with extra properties');
    }
    this.#emit(`["t","${TYPED_NAMES.get(Object.getPrototypeOf(binary))}","${bytes.toString('base64')}"]`);
  }

  #error(error: Error, depth: number): void {
    const parts = encodeErrorExactly(error, this.classes);
    if (parts === undefined) throw new Unshareable(`${error.name} cannot be rebuilt exactly (register its class?)`);
    this.#open.add(error);
    this.#emit('["e",');
    this.#value(parts, depth + 1);
    this.#emit(']');
    this.#open.delete(error);
  }

}


/** An inspection that shows an object's non-index own properties, and none of its elements or their values. */
const BARE = { maxArrayLength: 0, depth: 0, customInspect: false, getters: false, showProxy: false, breakLength: Infinity } as const;

/**
 * True if `object` (an array or a typed array) has own properties besides its elements: symbol-keyed ones, or
 * enumerable string-keyed ones. Listing its keys would cost a string per element (a second for a 700 KB
 * Buffer); `util.inspect` reads V8's non-index keys instead, and `blank`, of the same kind and length without
 * extra properties, shows what none looks like. Non-enumerable string-keyed properties added to an array or
 * a typed array (`Object.defineProperty`) are the one loss not detected.
 */
function hasNamedProperties(object: object, blank: object): boolean {
  return Object.getOwnPropertySymbols(object).length > 0 || inspect(object, BARE) !== inspect(blank, BARE);
}

/** A typed array or Buffer of the same type and length as `view`, without extra properties. */
function blankView(view: ArrayBufferView): object {
  if (Buffer.isBuffer(view)) return Buffer.alloc(view.length);
  const Type = TYPED.get(TYPED_NAMES.get(Object.getPrototypeOf(view))!)!;
  return Type.from(Buffer.alloc(view.byteLength));
}

/** A map's keys and values, alternating. */
function* flatEntries(map: Map<unknown, unknown>): Iterable<unknown> {
  for (const [key, value] of map) {
    yield key;
    yield value;
  }
}
