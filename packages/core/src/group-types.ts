// The public types of `group()`: its options, the wrapper it returns and the wrapped function's type
// (`Coalesced`), kept apart from the wrapping itself (group.ts), which re-exports them.

/** Options of `group()`. */
export interface GroupOptions {
  /**
   * Builds the argument part of the key from the call's arguments (called with the call's `this`); must return
   * a string. With `keyFn`, method calls on different instances share a flight when `keyFn` says they do.
   */
  keyFn?: (this: any, ...args: any[]) => string;
  /**
   * Replaces the function part of the key (default: the function's name plus a per-function id). Functions
   * wrapped with the same `name` share flights for equal arguments.
   */
  name?: string;
  /** Bounds every call's wait (see `CallOptions.timeoutMs`). */
  timeoutMs?: number;
}

/** `async` wrappers return a Promise of the result; `sync` wrappers return the result itself. */
export type GroupMode = 'async' | 'sync';

/** Any function, with any `this`. */
export type AnyFunction = (this: any, ...args: any[]) => any;

/** The key helpers of a wrapped function, typed by its parameters `A`. */
interface WrapperHelpers<A extends any[]> {
  /** The key a call with these arguments would use (for methods, call it with the instance as `this`). */
  keyFor(this: unknown, ...args: A): string;
  /** Forgets the flight a call with these arguments would join; true if one was tracked. */
  forget(this: unknown, ...args: A): boolean;
}

/**
 * The function `group()` returns for `F`: same parameters and `this` as `F`, plus key helpers. It is `F` itself
 * (so a generic function keeps its type parameters) when the wrapper returns what `F` returns: always for
 * `'sync'` wrappers, and for `'async'` ones when `F` returns a Promise. Otherwise (an `'async'` wrapper of a
 * function returning a plain value or a thenable) it returns a Promise of the awaited result. A type can't map a
 * generic `F`'s return type: for a generic function that returns a plain value, `GroupWrapper` gives instead
 * a generic function returning a Promise, without the helpers in its type (see {@link GroupWrapper}).
 */
export type Coalesced<F extends AnyFunction, M extends GroupMode> = (M extends 'sync'
  ? F
  : ReturnType<F> extends Promise<any>
    ? F
    : (this: ThisParameterType<F>, ...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>) &
  WrapperHelpers<Parameters<F>>;

/**
 * `unknown` (no constraint) when `Coalesced<F, M>` keeps `F`'s type parameters: `F` is delivered as it is
 * (`'sync'`, or a Promise-returning `F`), or `F` is not generic in its return type (then `F`'s own parameters and
 * return type, read with `infer`, are `F` again). `never` otherwise, so that the overload does not apply.
 */
type KeepsTypeParameters<F extends AnyFunction, M extends GroupMode> = M extends 'sync'
  ? unknown
  : ReturnType<F> extends Promise<any>
    ? unknown
    : ((this: ThisParameterType<F>, ...args: Parameters<F>) => ReturnType<F>) extends F
      ? unknown
      : never;

/**
 * Wraps a function, or decorates a class method (TC39 standard decorators, TypeScript ≥ 5.0 without
 * `experimentalDecorators`), so that concurrent calls with equal keys share one execution. For methods the
 * automatic key includes the instance identity.
 */
export interface GroupWrapper<M extends GroupMode> {
  <F extends AnyFunction>(this: KeepsTypeParameters<F, M>, fn: F, context?: ClassMethodDecoratorContext): Coalesced<F, M>;
  /**
   * An `'async'` wrapper of a generic function that returns a plain value: TypeScript's inference from generic
   * functions keeps the type parameters (`<T>(x: T) => T` becomes `<T>(x: T) => Promise<T>`) only for a plain
   * function type, so `keyFor` and `forget` exist at run time but not in this type. Declare the function
   * `async` to have both.
   */
  <This, A extends any[], R>(fn: (this: This, ...args: A) => R, context?: ClassMethodDecoratorContext): (
    this: This,
    ...args: A
  ) => Promise<Awaited<R>>;
  /**
   * The call TypeScript makes under `experimentalDecorators`. It exists for the compiler's error only: its
   * result type names the fix in TS1270 ("Decorator function return type '…' is not assignable"). At run time
   * it throws a `TypeError` (`ERR_SHARED_CALL_LEGACY_DECORATOR`).
   */
  (target: object, member: string | symbol, descriptor?: PropertyDescriptor): GroupIsAStandardDecorator_TurnOffExperimentalDecorators;
}

/**
 * The result type of `group()` applied as a legacy decorator, named for the message: `group()` is a TC39
 * standard decorator (TypeScript >= 5.0); turn `experimentalDecorators` off, or wrap a function in a field.
 */
export interface GroupIsAStandardDecorator_TurnOffExperimentalDecorators {
  readonly legacyDecorator: never;
}
