import { withCode } from './error-code.js';

/**
 * Argument checks shared by every coalescer in the workspace. Each throws a `TypeError` (code
 * `ERR_INVALID_ARG_TYPE`) or `RangeError` (code `ERR_OUT_OF_RANGE`) whose message names the argument and says
 * what is expected, so bad input never reaches a flight table.
 */

/** Largest delay `setTimeout` honours; larger values would fire after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Throws a `TypeError` unless `key` is a string. */
export function assertKey(key: unknown, name = 'key'): asserts key is string {
  if (typeof key !== 'string') {
    throw invalidType(`${name} must be a string, got ${describe(key)}`);
  }
}

/** Throws a `TypeError` unless `fn` is a function. */
export function assertFunction(fn: unknown, name = 'fn'): asserts fn is (...args: never[]) => unknown {
  if (typeof fn !== 'function') {
    throw invalidType(`${name} must be a function, got ${describe(fn)}`);
  }
}

/**
 * Checks an optional timeout: `undefined` and `Infinity` mean "no timeout"; anything else must be a number in
 * `[0, 2^31-1]`. Returns the timeout to arm, or `undefined` for none.
 */
export function checkTimeout(ms: unknown, name = 'timeoutMs'): number | undefined {
  if (ms === undefined || ms === Infinity) return undefined;
  if (typeof ms !== 'number') throw invalidType(`${name} must be a number of milliseconds, got ${describe(ms)}`);
  if (!(ms >= 0 && ms <= MAX_TIMEOUT_MS)) {
    throw outOfRange(`${name} must be between 0 and ${MAX_TIMEOUT_MS} (or Infinity for none), got ${ms}`);
  }
  return ms;
}

/** Throws a `TypeError` unless `options` is `undefined` or an object. */
export function assertOptions(options: unknown, name = 'options'): asserts options is object | undefined {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw invalidType(`${name} must be an object or undefined, got ${describe(options)}`);
  }
}

/**
 * Checks an optional whole-number option: `fallback` when undefined, else an integer in `[min, max]` (a
 * `TypeError` for a non-number, a `RangeError` otherwise).
 */
export function checkInteger(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalidType(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
  return value;
}

/** Longest text (a key, a string argument) that error messages quote in full. */
const QUOTE_LIMIT = 60;

/** A string as error messages show it: JSON-quoted, cut after {@link QUOTE_LIMIT} characters. */
export function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_LIMIT ? text.slice(0, QUOTE_LIMIT) + '…' : text);
}

/** A short, safe description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `string ${quote(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}

/** A `TypeError` with code `ERR_INVALID_ARG_TYPE`: an argument of the wrong type. */
export function invalidType(message: string): TypeError {
  return withCode(new TypeError(message), 'ERR_INVALID_ARG_TYPE');
}

/** A `RangeError` with code `ERR_OUT_OF_RANGE`: a number outside the accepted range. */
export function outOfRange(message: string): RangeError {
  return withCode(new RangeError(message), 'ERR_OUT_OF_RANGE');
}
