/**
 * Turns a thrown value into plain data that can cross a thread or process boundary, and back. Structured clone
 * and JSON both drop what callers rely on (custom names, `code`, AggregateError's `errors`); this codec keeps
 * class, name, message, stack, `code`, `cause` and `errors`. Decoding never evaluates anything and never looks
 * a class up by an arbitrary name: only the built-in error classes, DOMException, and classes the caller
 * passes are rebuilt; any other name comes back as an `Error` carrying that `name`.
 */

/** An error's parts as plain data (see {@link encodeError}). */
export interface EncodedErrorParts {
  kind: 'error';
  /** The class to rebuild: a built-in error class, `DOMException`, or a registered class's name. */
  type: string;
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
  cause?: EncodedError;
  errors?: EncodedError[];
}

/** A thrown value encoded by {@link encodeError}: an error's parts, or a non-error value kept as it was. */
export type EncodedError = EncodedErrorParts | { kind: 'value'; value: unknown };

/** Classes that {@link decodeError} may rebuild by name, besides the built-ins (e.g. `[NotFoundError]`). */
export type ErrorClasses = readonly (abstract new (...args: never[]) => Error)[];

type ErrorClass = abstract new (...args: never[]) => Error;

const BUILT_IN: ReadonlyMap<string, ErrorConstructor> = new Map<string, ErrorConstructor>([
  ['Error', Error],
  ['TypeError', TypeError],
  ['RangeError', RangeError],
  ['SyntaxError', SyntaxError],
  ['ReferenceError', ReferenceError],
  ['EvalError', EvalError],
  ['URIError', URIError],
  ['AggregateError', AggregateError as unknown as ErrorConstructor],
]);

/** Nesting kept for `cause` and `errors` (deeper levels are dropped, so cycles end). */
const MAX_DEPTH = 8;
/** AggregateError members kept. */
const MAX_ERRORS = 100;

/**
 * Encodes `thrown` as plain data. Errors become `{ kind: 'error', … }`; `type` is the nearest built-in class
 * in the prototype chain, or the constructor's own name when it is in `classes`. Any other thrown value becomes
 * `{ kind: 'value', value }` unchanged: whether it can be transported is the transport's concern.
 */
export function encodeError(thrown: unknown, classes: ErrorClasses = [], depth = 0): EncodedError {
  if (!(thrown instanceof Error) && !(thrown instanceof DOMException)) return { kind: 'value', value: thrown };
  const error = thrown as Error & { code?: unknown; cause?: unknown; errors?: unknown };
  const encoded: EncodedErrorParts = { kind: 'error', type: typeOf(error, classes), name: String(error.name), message: String(error.message) };
  if (typeof error.stack === 'string') encoded.stack = error.stack;
  const code = Object.hasOwn(error, 'code') ? error.code : undefined;
  if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) encoded.code = code;
  if (depth < MAX_DEPTH) {
    if (Object.hasOwn(error, 'cause')) encoded.cause = encodeError(error.cause, classes, depth + 1);
    if (thrown instanceof AggregateError && Array.isArray(error.errors)) {
      encoded.errors = error.errors.slice(0, MAX_ERRORS).map((e: unknown) => encodeError(e, classes, depth + 1));
    }
  }
  return encoded;
}

/**
 * Rebuilds a thrown value from {@link encodeError}'s output, which may come from an untrusted source. Throws a
 * `TypeError` naming the problem when `encoded` does not have that shape. Built-in classes are constructed;
 * classes from `classes` are rebuilt without running their constructors (their prototype, then the fields).
 */
export function decodeError(encoded: unknown, classes: ErrorClasses = [], depth = 0): unknown {
  const record = asRecord(encoded, 'encoded error');
  if (record.kind === 'value') return Object.hasOwn(record, 'value') ? record.value : undefined; // JSON drops undefined
  if (record.kind !== 'error') throw new TypeError('encoded error: kind must be "error" or "value"');
  if (depth > MAX_DEPTH) throw new TypeError('encoded error: nested deeper than ' + MAX_DEPTH);
  const type = field(record, 'type', 'string') as string;
  const name = field(record, 'name', 'string') as string;
  const message = field(record, 'message', 'string') as string;
  const stack = optionalField(record, 'stack', 'string');
  const code = Object.hasOwn(record, 'code') ? record.code : undefined;
  if (code !== undefined && typeof code !== 'string' && typeof code !== 'number') {
    throw new TypeError('encoded error: code must be a string or a number');
  }
  const error = instantiate(type, name, message, classes);
  if (name !== error.name) define(error, 'name', name);
  if (stack !== undefined) define(error, 'stack', stack);
  if (code !== undefined) define(error, 'code', code);
  if (Object.hasOwn(record, 'cause')) define(error, 'cause', decodeError(record.cause, classes, depth + 1));
  if (Object.hasOwn(record, 'errors')) {
    if (!Array.isArray(record.errors) || record.errors.length > MAX_ERRORS) {
      throw new TypeError(`encoded error: errors must be an array of at most ${MAX_ERRORS}`);
    }
    define(error, 'errors', record.errors.map((e) => decodeError(e, classes, depth + 1)));
  }
  return error;
}

function typeOf(error: Error, classes: ErrorClasses): string {
  if (error instanceof DOMException) return 'DOMException';
  const ctor = Object.getPrototypeOf(error)?.constructor as ErrorClass | undefined;
  if (ctor !== undefined && classes.includes(ctor)) return ctor.name;
  for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = Object.hasOwn(proto, 'constructor') ? (proto.constructor as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && BUILT_IN.get(name) === proto.constructor) return name;
  }
  return 'Error';
}

function instantiate(type: string, name: string, message: string, classes: ErrorClasses): Error {
  if (type === 'DOMException') return new DOMException(message, name);
  const builtIn = BUILT_IN.get(type);
  if (type === 'AggregateError') return new AggregateError([], message);
  if (builtIn !== undefined) return new builtIn(message);
  const registered = classes.find((c) => c.name === type);
  if (registered === undefined) return new Error(message);
  const error = Object.create(registered.prototype) as Error;
  define(error, 'message', message);
  return error;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function field(record: Record<string, unknown>, key: string, type: 'string'): unknown {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  if (typeof value !== type) throw new TypeError(`encoded error: ${key} must be a ${type}`);
  return value;
}

function optionalField(record: Record<string, unknown>, key: string, type: 'string'): string | undefined {
  return Object.hasOwn(record, key) ? (field(record, key, type) as string) : undefined;
}
