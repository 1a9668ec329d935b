/**
 * Turns a thrown value into plain data that can cross a thread or process boundary, and back. Structured clone
 * and JSON both drop what callers rely on (custom names, `code`, AggregateError's `errors`, own fields such as
 * `status`); this codec keeps class, name, message, stack, `code`, `cause`, `errors` and every own enumerable
 * field. Decoding never evaluates anything, never runs a constructor of a registered class, and never looks a
 * class up by an arbitrary name: only the built-in error classes, DOMException, and classes the caller passes
 * are rebuilt; any other name comes back as an `Error` carrying that `name`.
 */

/** An error's parts as plain data (see {@link encodeError}). */
export interface EncodedErrorParts {
  kind: 'error';
  /** The class to rebuild: a built-in error class, `DOMException`, or a registered class's name. */
  type: string;
  name: string;
  message: string;
  /** `false` when `message` is inherited, not an own property (`new Error()`). */
  ownMessage?: false;
  stack?: string;
  /** A non-enumerable own `code` (an enumerable one is among `fields`). */
  code?: string | number;
  cause?: EncodedError;
  errors?: EncodedError[];
  /**
   * The error's own enumerable properties (e.g. `status`, `code`, a `name` set in a constructor), values as they
   * are: whether they can be transported is the transport's concern.
   */
  fields?: Record<string, unknown>;
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
export function encodeError(thrown: unknown, classes: ErrorClasses = []): EncodedError {
  return encode(thrown, classes, 0, false)!;
}

/**
 * Like {@link encodeError}, or `undefined` if {@link decodeError} could not rebuild `thrown` exactly: an error
 * whose class is neither built in, DOMException, nor in `classes`; an own property that is a symbol, an
 * accessor, or non-enumerable other than the native `stack`, `message`, `name`, `code`, `cause`, `errors`;
 * `cause`/`errors` nested deeper than 8 or more than 100 errors. (Values of fields and of thrown non-errors are
 * returned as they are: the transport decides whether it carries them exactly.)
 */
export function encodeErrorExactly(thrown: unknown, classes: ErrorClasses): EncodedError | undefined {
  return encode(thrown, classes, 0, true);
}

/** Own properties carried by their own parts, never among `fields` (enumerable `name` and `code` are fields). */
const CARRIED = new Set(['stack', 'message', 'cause', 'errors']);

/** {@link encodeError}; with `exact`, `undefined` as soon as anything would be lost. */
function encode(thrown: unknown, classes: ErrorClasses, depth: number, exact: boolean): EncodedError | undefined {
  if (!(thrown instanceof Error) && !(thrown instanceof DOMException)) return { kind: 'value', value: thrown };
  const error = thrown as Error & { code?: unknown; cause?: unknown; errors?: unknown };
  const type = typeOf(error, classes);
  if (exact && Object.getPrototypeOf(error) !== classFor(type, classes)?.prototype) return undefined;
  const name = text(error.name, type);
  const encoded: EncodedErrorParts = { kind: 'error', type, name, message: text(error.message, '') };
  const fields: Record<string, unknown> = {};
  let hasFields = false;
  for (const key of Reflect.ownKeys(error)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(error, key)!;
    if (typeof key === 'string' && descriptor.enumerable && 'value' in descriptor && !CARRIED.has(key)) {
      Object.defineProperty(fields, key, { value: descriptor.value, enumerable: true, writable: true, configurable: true });
      hasFields = true;
    } else if (exact && !isNative(error, key, descriptor)) {
      return undefined;
    }
  }
  if (hasFields) encoded.fields = fields;
  if (!Object.hasOwn(error, 'message')) encoded.ownMessage = false;
  if (typeof error.stack === 'string') encoded.stack = error.stack;
  const code = Object.hasOwn(error, 'code') && !Object.hasOwn(fields, 'code') ? error.code : undefined;
  if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) encoded.code = code;
  const nested = (e: unknown) => encode(e, classes, depth + 1, exact);
  const causes = Object.hasOwn(error, 'cause');
  const members = thrown instanceof AggregateError && Array.isArray(error.errors);
  const cut = depth >= MAX_DEPTH || (members && (error.errors as unknown[]).length > MAX_ERRORS);
  if (exact && cut && (causes || members)) return undefined;
  if (depth < MAX_DEPTH) {
    if (causes) {
      const cause = nested(error.cause);
      if (cause === undefined) return undefined;
      encoded.cause = cause;
    }
    if (members) {
      const errors = (error.errors as unknown[]).slice(0, MAX_ERRORS).map(nested);
      if (errors.includes(undefined)) return undefined;
      encoded.errors = errors as EncodedError[];
    }
  }
  return encoded;
}

/** `value` as text, or `fallback` for an object or function (converting those could throw or run code). */
function text(value: unknown, fallback: string): string {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' ? fallback : String(value);
}

/** True for a non-enumerable own property as native errors have them, which `encode` carries exactly. */
function isNative(error: Error, key: string | symbol, descriptor: PropertyDescriptor): boolean {
  if (typeof key !== 'string' || descriptor.enumerable || !('value' in descriptor)) return false;
  const { value } = descriptor;
  switch (key) {
    case 'code':
      return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    case 'errors':
      return error instanceof AggregateError && Array.isArray(value);
    case 'cause':
      return true;
    case 'stack':
    case 'message':
    case 'name':
      return typeof value === 'string';
    default:
      return false;
  }
}

/**
 * Rebuilds a thrown value from {@link encodeError}'s output, which may come from an untrusted source. Throws a
 * `TypeError` naming the problem when `encoded` does not have that shape. Errors are native errors (built by
 * `Reflect.construct(Error, [], Class)`, so a registered class's constructor never runs) with the class's
 * prototype; `name`, `message` (unless `ownMessage` is false), `stack`, `code`, `cause`, `errors` are defined as
 * non-enumerable own properties as natives have them, and `fields` as enumerable ones.
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
  const fields = Object.hasOwn(record, 'fields') ? asRecord(record.fields, 'encoded error: fields') : {};
  const error = instantiate(type, name, message, record.ownMessage !== false, classes);
  if (stack === undefined) delete error.stack;
  else define(error, 'stack', stack);
  if (code !== undefined) define(error, 'code', code);
  for (const key of Object.keys(fields)) {
    Object.defineProperty(error, key, { value: fields[key], writable: true, configurable: true, enumerable: true });
  }
  if (!Object.hasOwn(fields, 'name') && name !== error.name) define(error, 'name', name);
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

function instantiate(type: string, name: string, message: string, ownMessage: boolean, classes: ErrorClasses): Error {
  if (type === 'DOMException') return new DOMException(message, name);
  const error = Reflect.construct(type === 'AggregateError' ? AggregateError : Error, type === 'AggregateError' ? [[]] : [], classFor(type, classes) ?? Error) as Error;
  if (ownMessage) define(error, 'message', message);
  return error;
}

/** The class `type` names: a built-in error class, or the first of `classes` with that name. */
function classFor(type: string, classes: ErrorClasses): ErrorClass | undefined {
  if (type === 'DOMException') return DOMException;
  return BUILT_IN.get(type) ?? classes.find((c) => c.name === type);
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
