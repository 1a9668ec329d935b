import { types } from 'node:util';

/**
 * Where `actual` differs from `expected` under the codec's promise, or `undefined` if nowhere: primitives by
 * `Object.is` (so -0 ≠ 0, NaN = NaN), objects by prototype, own property descriptors (enumerability, data or
 * accessor, values recursively; order too, except on errors), Date times, Map and Set entries in order, bytes
 * of binary values, and an error's name and message. Cycles are followed pairwise.
 */
export function difference(actual: unknown, expected: unknown, path = '$', seen = new Map<object, object>()): string | undefined {
  if (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null) {
    return Object.is(actual, expected) ? undefined : `${path}: ${show(actual)} instead of ${show(expected)}`;
  }
  if (seen.get(actual) === expected) return undefined;
  seen.set(actual, expected);
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return `${path}: another prototype`;
  if (actual instanceof Date) return Object.is(actual.getTime(), (expected as Date).getTime()) ? undefined : `${path}: time`;
  if (ArrayBuffer.isView(actual) || actual instanceof ArrayBuffer) {
    const bytes = (v: object) => (ArrayBuffer.isView(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(v as ArrayBuffer));
    return bytes(actual).equals(bytes(expected)) ? undefined : `${path}: bytes`;
  }
  if (actual instanceof Map || actual instanceof Set) {
    const a = [...(actual as Map<unknown, unknown>)];
    const e = [...(expected as Map<unknown, unknown>)];
    if (a.length !== e.length) return `${path}: size ${a.length} instead of ${e.length}`;
    for (let i = 0; i < a.length; i++) {
      const found = difference(a[i], e[i], `${path}[entry ${i}]`, seen);
      if (found) return found;
    }
  }
  const error = types.isNativeError(expected) || expected instanceof DOMException;
  if (error) {
    if (types.isNativeError(actual) !== types.isNativeError(expected)) return `${path}: native error or not`;
    for (const key of ['name', 'message'] as const) {
      const found = difference((actual as Error)[key], (expected as Error)[key], `${path}.${key}`, seen);
      if (found) return found;
    }
  }
  const keys = (v: object) => (error ? Reflect.ownKeys(v).map(String).sort() : Reflect.ownKeys(v).map(String));
  const [actualKeys, expectedKeys] = [keys(actual), keys(expected)];
  if (actualKeys.join('\0') !== expectedKeys.join('\0')) {
    return `${path}: own keys [${actualKeys.join(', ')}] instead of [${expectedKeys.join(', ')}]`;
  }
  for (const key of Reflect.ownKeys(expected)) {
    if (ArrayBuffer.isView(expected)) break;
    const a = Reflect.getOwnPropertyDescriptor(actual, key)!;
    const e = Reflect.getOwnPropertyDescriptor(expected, key)!;
    const where = `${path}.${String(key)}`;
    if (a.enumerable !== e.enumerable || 'value' in a !== 'value' in e) return `${where}: another kind of property`;
    const found = difference(a.value, e.value, where, seen);
    if (found) return found;
  }
  return undefined;
}

function show(value: unknown): string {
  if (Object.is(value, -0)) return '-0';
  return typeof value === 'string' ? JSON.stringify(value).slice(0, 40) : String(value).slice(0, 40);
}
