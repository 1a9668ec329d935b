import type { ErrorClasses } from '@shared-call/core';
import { decodeError } from '@shared-call/core/internal';
import { isPollutionShape, MAX_DEPTH, TYPED } from './value-format.js';

/** Decodes value-encoder.ts's output, parsed from JSON by the caller; throws a `TypeError` for anything else. */
export function decodeValue(json: unknown, classes: ErrorClasses): unknown {
  if (json === null || typeof json !== 'object') return json; // a JSON primitive stands for itself, as in Decoder
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
        return bigintOf(json[1]);
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

/** A bigint from its hexadecimal text (`-` for negatives); a `TypeError` for anything else. */
function bigintOf(text: unknown): bigint {
  if (typeof text !== 'string' || !/^-?[0-9a-f]+$/.test(text)) throw new TypeError('payload: bad bigint');
  const magnitude = BigInt('0x' + text.replace('-', ''));
  return text.startsWith('-') ? -magnitude : magnitude;
}
