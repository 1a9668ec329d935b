import { allPrimitive, argumentsKey, functionLabel, instanceKey, sameValues } from './keys.js';
import type { Coalescer } from './coalescer.js';
import { withCode } from './error-code.js';
import { stableLabel } from './stable-label.js';
import { assertFunction, assertKey, assertOptions, checkTimeout, describe, invalidType } from './validate.js';
import type { AnyFunction, Coalesced, GroupMode, GroupOptions, GroupWrapper } from './group-types.js';

export type {
  Coalesced,
  GroupIsAStandardDecorator_TurnOffExperimentalDecorators,
  GroupMode,
  GroupOptions,
  GroupWrapper,
} from './group-types.js';

/**
 * What `createGroup` needs of a coalescer, stated once for every package:
 *
 * - `coalescer`: its `call` (given `{ timeoutMs }` from the group's options, one frozen object, or nothing) and
 *   its `forget`. An error while building a key (a `keyFn` that throws or returns no string) is delivered as
 *   `call` delivers errors, by `mode`: rejected (`'async'`) or thrown (`'sync'`).
 * - `keys`: where a key must mean the same thing. `'local'` (one thread's coalescer): a function is named by its
 *   name plus a per-function id, and a method's key includes its instance. `'portable'` (a table shared by
 *   threads, or Redis shared by processes): a function is named by its name plus a hash of its source
 *   (`stableLabel`, equal in every thread and process running the same code), and a method's key does not
 *   include its instance (instances are per thread); `keyFn` can key by instance data.
 */
export interface GroupBackend<M extends GroupMode> {
  readonly coalescer: Pick<Coalescer<M, { timeoutMs?: number }>, 'call' | 'forget'>;
  readonly mode: M;
  readonly keys: 'local' | 'portable';
}

/** Builds the `group()` of a coalescer from its backend; validates the options at once. */
export function createGroup<M extends GroupMode>(options: GroupOptions | undefined, backend: GroupBackend<M>): GroupWrapper<M> {
  assertOptions(options, 'group options');
  const { keyFn, name } = options ?? {};
  if (keyFn !== undefined) assertFunction(keyFn, 'keyFn');
  if (name !== undefined) assertKey(name, 'name');
  const timeoutMs = checkTimeout(options?.timeoutMs);
  const callOptions = timeoutMs === undefined ? undefined : Object.freeze({ timeoutMs });
  const { coalescer, mode } = backend;
  const portable = backend.keys === 'portable';
  const label = portable ? stableLabel : functionLabel;

  const wrap = <F extends AnyFunction>(fn: F, context?: ClassMethodDecoratorContext): Coalesced<F, M> => {
    if (typeof context === 'string' || typeof context === 'symbol') throw legacyDecoratorError(fn, context);
    assertFunction(fn, 'the function given to group()');
    if (context !== undefined && context.kind !== 'method') {
      throw withCode(
        new TypeError(`group() decorates methods only, not a ${describe(context.kind)} declaration`),
        'ERR_SHARED_CALL_NOT_A_METHOD',
      );
    }
    // The function part is length-prefixed, so no name (nor a function's own name inside its label) can spell a
    // mode character or argument text of another wrapper's key: `user:` + args never meets `user` + keyFn's text.
    const part = name ?? label(fn, context === undefined ? fn.name : String(context.name));
    const prefix = part.length + '|' + part;
    const byInstance = context !== undefined && !portable && keyFn === undefined;

    // The last key built is reused while calls repeat the same primitive arguments (automatic keys of plain
    // functions) or keyFn returns the same text: a burst of coalesced calls then looks up the very string its
    // flight is stored under, its hash already computed, instead of a freshly concatenated key per call (which
    // costs the lookup a flatten and a hash: about 3x the whole call). Keys of primitives are pure functions of
    // their values, so the reused key is the one that would be built.
    let lastArgs: ArrayLike<unknown> | undefined;
    let lastCustom: string | undefined;
    let lastKey = '';

    const keyFor = (thisArg: unknown, args: ArrayLike<unknown>): string => {
      if (keyFn === undefined) {
        if (byInstance) return prefix + '@' + instanceKey(thisArg) + '(' + argumentsKey(args) + ')';
        if (lastArgs !== undefined && sameValues(args, lastArgs)) return lastKey;
        const key = prefix + '(' + argumentsKey(args) + ')';
        if (allPrimitive(args)) [lastArgs, lastKey] = [args, key];
        return key;
      }
      const custom: unknown = keyFn.apply(thisArg, args as unknown[]);
      if (typeof custom !== 'string') {
        throw withCode(new TypeError(`keyFn must return a string, got ${describe(custom)}`), 'ERR_SHARED_CALL_INVALID_KEY');
      }
      if (custom !== lastCustom) [lastCustom, lastKey] = [custom, prefix + ':' + custom];
      return lastKey;
    };

    function coalesced(this: unknown, ...args: unknown[]): unknown {
      let key: string;
      try {
        key = keyFor(this, args);
      } catch (error) {
        if (mode === 'sync') throw error;
        return Promise.reject(error);
      }
      return coalescer.call(key, () => fn.apply(this, args), callOptions);
    }
    Object.defineProperty(coalesced, 'name', { value: fn.name });
    keyHelpers.set(coalesced, { keyFor, forget: (key) => coalescer.forget(key) });
    return Object.assign(coalesced, {
      keyFor(this: unknown, ...args: unknown[]) {
        return keyFor(this === coalesced ? undefined : this, args);
      },
      forget(this: unknown, ...args: unknown[]) {
        return coalescer.forget(keyFor(this === coalesced ? undefined : this, args));
      },
    }) as unknown as Coalesced<F, M>;
  };
  // The legacy overload has no implementation of its own: `wrap` throws for that call (legacyDecoratorError).
  return wrap as GroupWrapper<M>;
}

/** What `keyOf` and `forgetCall` need of a function `group()` returned: its key builder and its coalescer's forget. */
interface KeyHelpers {
  keyFor(thisArg: unknown, args: ArrayLike<unknown>): string;
  forget(key: string): boolean;
}

/** Every function `group()` returned, to its helpers (weakly: wrapped functions stay collectable). */
const keyHelpers = new WeakMap<object, KeyHelpers>();

/** The names of `T`'s members that are functions. */
export type MethodName<T> = { [K in keyof T]-?: T[K] extends AnyFunction ? K : never }[keyof T];

/** The parameters of `T[K]`, a method of `T`. */
export type MethodParameters<T, K extends keyof T> = T[K] extends AnyFunction ? Parameters<T[K]> : never;

/**
 * The key that `instance[method](...args)` would use, for a method decorated (or a function wrapped) by
 * `group()`. Typed by the method's own parameters, which a decorated method's type keeps.
 */
export function keyOf<T extends object, K extends MethodName<T>>(
  instance: T,
  method: K,
  ...args: MethodParameters<T, K>
): string {
  return helpersOf(instance, method).keyFor(instance, args);
}

/**
 * Forgets the flight that `instance[method](...args)` would join (see `forget(key)`); true if one was tracked.
 * For a decorated method this forgets that one instance's flight only.
 */
export function forgetCall<T extends object, K extends MethodName<T>>(
  instance: T,
  method: K,
  ...args: MethodParameters<T, K>
): boolean {
  const helpers = helpersOf(instance, method);
  return helpers.forget(helpers.keyFor(instance, args));
}

function helpersOf(instance: unknown, method: PropertyKey): KeyHelpers {
  if (instance === null || (typeof instance !== 'object' && typeof instance !== 'function')) {
    throw invalidType(`the instance must be an object, got ${describe(instance)}`);
  }
  const helpers = keyHelpers.get((instance as Record<PropertyKey, object>)[method]);
  if (helpers === undefined) {
    throw withCode(
      new TypeError(`${String(method)} is not a method decorated with group() (nor a function it wrapped)`),
      'ERR_SHARED_CALL_NOT_COALESCED',
    );
  }
  return helpers;
}

/**
 * The error for `group()` applied by TypeScript's `experimentalDecorators` (legacy decorators call
 * `(target, propertyKey, descriptor)`; `group()` is a TC39 standard decorator, which TypeScript ≥ 5.0 applies
 * when that option is off).
 */
function legacyDecoratorError(target: unknown, member: string | symbol): TypeError {
  const owner = typeof target === 'function' ? target.name : (target as object | null)?.constructor?.name;
  return withCode(
    new TypeError(
      `@group() on ${owner ?? 'a class'}.${String(member)} was applied as a legacy decorator: group() is a TC39 ` +
        'standard decorator (TypeScript >= 5.0), and "experimentalDecorators" is on in this tsconfig. Turn ' +
        '"experimentalDecorators" off, or, where a framework needs it on (NestJS, TypeORM…), wrap a function in ' +
        `a field instead of decorating the method: readonly ${String(member)} = sc.group()(async (…) => …)`,
    ),
    'ERR_SHARED_CALL_LEGACY_DECORATOR',
  );
}
