import { types } from 'node:util';
import { decodeError, encodeErrorExactly, type ErrorClasses } from '@shared-call/core';

/**
 * An exact codec for the values a flight hands to other processes, as JSON text. Either the decoded value is
 * indistinguishable from the encoded one (same prototypes, own keys in order, `undefined` properties, -0,
 * NaN, holes, shared references and cycles), or encoding refuses with {@link Unshareable}: nothing is ever
 * carried approximately. The format, one JSON value per JavaScript value:
 *
 * - a string, `true`, `false`, `null`, or a finite number other than -0: itself;
 * - anything else is an array whose first element is a tag:
 *   `["u"]` undefined · `["n","NaN"|"Infinity"|"-Infinity"|"-0"]` · `["b","-12"]` bigint ·
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

const TYPED = new Map<string, { prototype: object; from(bytes: Buffer): object }>([
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
const TYPED_NAMES = new Map([...TYPED].map(([name, { prototype }]) => [prototype, name]));

/** Encodes `value` as JSON text of at most `maxLength` UTF-16 code units; throws {@link Unshareable} otherwise. */
export function encodeValue(value: unknown, maxLength: number, classes: ErrorClasses): string {
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
      case 'bigint':
        return this.#emit(`["b","${value}"]`);
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
    if (types.isNativeError(object) || object instanceof DOMException) return this.#error(object as Error, depth);
    if (TYPED_NAMES.has(proto as object)) return this.#bytes(object as ArrayBufferView | ArrayBuffer);
    this.#noOwnKeys(object, 0);
    if (proto === Date.prototype) {
      const time = (object as Date).getTime();
      return this.#emit(`["d",${Number.isNaN(time) ? 'null' : time}]`);
    }
    if (proto === Map.prototype) return this.#items('m', flatEntries(object as Map<unknown, unknown>), depth);
    if (proto === Set.prototype) return this.#items('s', object as Set<unknown>, depth);
    throw new Unshareable(`an instance of ${(proto as { constructor?: { name?: string } }).constructor?.name} cannot be shared`);
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
    let present = 0;
    for (let i = 0; i < array.length; i++) {
      const descriptor = Reflect.getOwnPropertyDescriptor(array, i);
      if (descriptor !== undefined && !('value' in descriptor)) throw new Unshareable(`element ${i} is an accessor`);
      this.#emit(',');
      if (descriptor === undefined) this.#emit('["h"]');
      else this.#value(descriptor.value, depth + 1);
      if (descriptor !== undefined) present++;
    }
    // Own keys are the present elements, `length`, and anything else: a property arrays do not carry.
    if (Reflect.ownKeys(array).length !== present + 1) throw new Unshareable('an array with extra properties');
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
    const bytes = view ? Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength) : Buffer.from(binary);
    if (this.#text.length + Math.ceil(bytes.length / 3) * 4 > this.maxLength) throw new Unshareable('larger than maxResultBytes');
    const buffer = view ? binary.buffer : binary;
    if (!types.isArrayBuffer(buffer) || (buffer as { resizable?: boolean }).resizable === true) {
      throw new Unshareable('views of shared or resizable buffers cannot be shared');
    }
    this.#noOwnKeys(binary, view ? (binary as Uint8Array).length : 0);
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

  /** Refuses an object other than an array or a record with own properties beyond its `elements` (typed arrays). */
  #noOwnKeys(object: object, elements: number): void {
    if (Reflect.ownKeys(object).length !== elements) throw new Unshareable('an object with extra own properties');
  }
}

/** Decodes {@link encodeValue}'s output, parsed from JSON by the caller; throws a `TypeError` for anything else. */
export function decodeValue(json: unknown, classes: ErrorClasses): unknown {
  return new Decoder(classes).value(json, 0);
}

/** Stands for an error whose parts are being decoded: a reference to it is refused. */
const PENDING = Symbol('pending');

class Decoder {
  readonly #objects: unknown[] = [];

  constructor(private readonly classes: ErrorClasses) {}

  value(json: unknown, depth: number): unknown {
    if (json === null || typeof json !== 'object') return json;
    if (!Array.isArray(json) || typeof json[0] !== 'string') throw new TypeError('payload: not an encoded value');
    const [tag] = json;
    const arity = (n: number) => {
      if (json.length !== n) throw new TypeError(`payload: "${tag}" takes ${n - 1} argument(s)`);
    };
    switch (tag) {
      case 'u':
        arity(1);
        return undefined;
      case 'n':
        arity(2);
        return numberOf(json[1]);
      case 'b':
        arity(2);
        if (typeof json[1] !== 'string' || !/^-?\d+$/.test(json[1])) throw new TypeError('payload: bad bigint');
        return BigInt(json[1]);
      case 'r':
        arity(2);
        return this.#reference(json[1]);
    }
    if (depth >= MAX_DEPTH) throw new TypeError(`payload: nested deeper than ${MAX_DEPTH}`);
    switch (tag) {
      case 'a':
        return this.#array(json, depth);
      case 'o':
        return this.#properties(json, {}, depth);
      case '0':
        return this.#properties(json, Object.create(null), depth);
      case 'd':
        arity(2);
        if (json[1] !== null && typeof json[1] !== 'number') throw new TypeError('payload: bad date');
        return this.#add(new Date(json[1] ?? NaN));
      case 'm': {
        const map = this.#add(new Map());
        if (json.length % 2 === 0) throw new TypeError('payload: a map needs key-value pairs');
        for (let i = 1; i < json.length; i += 2) map.set(this.value(json[i], depth + 1), this.value(json[i + 1], depth + 1));
        return map;
      }
      case 's': {
        const set = this.#add(new Set());
        for (let i = 1; i < json.length; i++) set.add(this.value(json[i], depth + 1));
        return set;
      }
      case 't': {
        arity(3);
        const type = typeof json[1] === 'string' ? TYPED.get(json[1]) : undefined;
        if (type === undefined || typeof json[2] !== 'string') throw new TypeError('payload: bad binary value');
        return this.#add(type.from(Buffer.from(json[2], 'base64')));
      }
      case 'e': {
        arity(2);
        const id = this.#objects.push(PENDING) - 1;
        const error = decodeError(this.value(json[1], depth + 1), this.classes);
        this.#objects[id] = error;
        return error;
      }
      default:
        throw new TypeError(`payload: unknown tag ${JSON.stringify(tag).slice(0, 20)}`);
    }
  }

  #add<T>(object: T): T {
    this.#objects.push(object);
    return object;
  }

  #reference(id: unknown): unknown {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= this.#objects.length) {
      throw new TypeError('payload: bad reference');
    }
    const object = this.#objects[id];
    if (object === PENDING) throw new TypeError('payload: reference to an error being decoded');
    return object;
  }

  #array(json: unknown[], depth: number): unknown[] {
    const array = this.#add(new Array<unknown>(json.length - 1));
    for (let i = 1; i < json.length; i++) {
      const item = json[i];
      if (Array.isArray(item) && item.length === 1 && item[0] === 'h') continue;
      array[i - 1] = this.value(item, depth + 1);
    }
    return array;
  }

  #properties(json: unknown[], target: Record<string, unknown>, depth: number): Record<string, unknown> {
    this.#add(target);
    if (json.length % 2 === 0) throw new TypeError('payload: an object needs key-value pairs');
    for (let i = 1; i < json.length; i += 2) {
      const key = json[i];
      if (typeof key !== 'string') throw new TypeError('payload: a key must be a string');
      const value = this.value(json[i + 1], depth + 1);
      if (isPollutionShape(key, value)) throw new TypeError(`payload: refusing key ${JSON.stringify(key)}`);
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return target;
  }
}

/** A map's keys and values, alternating. */
function* flatEntries(map: Map<unknown, unknown>): Iterable<unknown> {
  for (const [key, value] of map) {
    yield key;
    yield value;
  }
}

function numberOf(text: unknown): number {
  switch (text) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new TypeError('payload: bad number');
  }
}

/** A copy of `bytes` in an ArrayBuffer of its own; a `TypeError` unless the length is a multiple of `unit`. */
function copyBytes(bytes: Buffer, unit = 1): ArrayBuffer {
  if (bytes.length % unit !== 0) throw new TypeError('payload: bad typed array length');
  const buffer = new ArrayBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/** `__proto__`, or `constructor` holding an object: the shapes of prototype-pollution payloads. */
function isPollutionShape(key: string, value: unknown): boolean {
  return key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null);
}
