import { raceAlarm } from './alarm.js';
import { assertOptions, checkTimeout, describe, invalidType } from './validate.js';

/** Per-caller options: either abandons this caller's wait, never the flight of the others. */
export interface CallOptions {
  /** Abandons this caller's wait when aborted; the call rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Abandons this caller's wait after this many milliseconds with a `TimeoutError` DOMException. */
  timeoutMs?: number;
}

/** Validated cancellation of one caller, or `undefined` when the caller cannot be cancelled. */
export interface Cancellation {
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
}

/**
 * Validates `options` and returns the caller's cancellation. Throws `signal.reason` when the signal is already
 * aborted, so such a call neither starts nor joins a flight.
 */
export function cancellationOf(options: CallOptions | undefined): Cancellation | undefined {
  assertOptions(options);
  if (options === undefined) return undefined;
  const { signal } = options;
  const timeoutMs = checkTimeout(options.timeoutMs, 'options.timeoutMs');
  if (signal !== undefined) {
    if (!(signal instanceof AbortSignal)) {
      throw invalidType(`options.signal must be an AbortSignal, got ${describe(signal)}`);
    }
    if (signal.aborted) throw signal.reason;
  }
  return signal === undefined && timeoutMs === undefined ? undefined : { signal, timeoutMs };
}

/** The reason a caller's wait ends when its `timeoutMs` elapses, shaped like `AbortSignal.timeout`'s. */
export function timeoutError(ms: number): DOMException {
  return new DOMException(`The operation timed out after ${ms} ms`, 'TimeoutError');
}

/**
 * Waits for `promise` until it settles or the caller's cancellation fires, whichever comes first. On
 * cancellation the returned promise rejects with the reason and `onAbandon(reason)` runs once; listeners and
 * timers are released either way.
 */
export function waitWithCancellation<T>(
  promise: Promise<T>,
  { signal, timeoutMs }: Cancellation,
  onAbandon: (reason: unknown) => boolean,
): Promise<T> {
  return raceAlarm(promise, { signal, timeoutMs }, (end) => {
    const abandon = (reason: unknown) => {
      if (onAbandon(reason)) end(reason);
    };
    return { onAbort: abandon, onTimeout: () => abandon(timeoutError(timeoutMs!)) };
  });
}

/**
 * The controller of the signal a leader's `fn` receives: a new one per flight, so that nothing handed to `fn`
 * outlives its flight or is shared with another flight, and listeners `fn` adds are collected with the flight.
 * Its signal aborts only when every caller has abandoned the flight. Returns `undefined` when `fn` cannot observe
 * an argument at all (see {@link takesNoArgument}). That spares those flights Node's AbortSignal, which costs
 * ~10 µs to create (the controller makes it on first use), many times a whole coalesced call.
 */
export function controllerFor(fn: (...args: never[]) => unknown): AbortController | undefined {
  return takesNoArgument(fn) ? undefined : new AbortController();
}

/**
 * True when `fn` is an arrow function with an empty parameter list (it has no `arguments` object), such as
 * `() => load(id)` and the wrappers of `group()`: it cannot see an argument. Any other `fn`, whatever its
 * `length` (rest or default parameters, `arguments[0]`, bound or native functions, callable proxies), can.
 * Decided from the source text, which no user code can forge: only such an arrow's text begins with `()`
 * (methods, classes and other functions begin with a name or a keyword, native ones with `function`), and an
 * async one's with `async`. Reading the text costs about 0.2 µs; the regular expression runs only when the text
 * does not begin with `()`.
 */
export function takesNoArgument(fn: (...args: never[]) => unknown): boolean {
  const source = Function.prototype.toString.call(fn);
  return (source.charCodeAt(0) === OPEN && source.charCodeAt(1) === CLOSE) || EMPTY_ARROW.test(source);
}

const OPEN = 0x28; // (
const CLOSE = 0x29; // )
/** The source text of an arrow function without parameters: `() =>`, `( ) =>` or `async () =>`. */
const EMPTY_ARROW = /^(?:async\s*)?\(\s*\)\s*=>/;
