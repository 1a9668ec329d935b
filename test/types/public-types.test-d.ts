// Type tests of the public types: `npm run typecheck` compiles this file (tsconfig.test.json) and fails if an
// assertion below is false or a `@ts-expect-error` line compiles. Nothing here runs.
import {
  AsyncSharedCall,
  forgetCall,
  keyOf,
  type CallInfo,
  type Coalesced,
  type Coalescer,
  type GroupWrapper,
  type SharedCallStats,
} from '@shared-call/core';
import { RedisSharedCall, type RedisCallInfo } from '@shared-call/redis';
import { SharedCall, type SyncCallOptions } from '@shared-call/sync-workers';

/** True when `X` and `Y` are the same type (not merely assignable either way). */
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
/** Compiles only when `T` is `true`. */
function expectTrue<T extends true>(): T | void {}

declare const sc: AsyncSharedCall;
declare const sync: SharedCall;
declare const redis: RedisSharedCall;

// ---- The Coalescer contract: each class implements it, in its own delivery mode ----
const asCore: Coalescer<'async'> = sc;
const asRedis: Coalescer<'async'> = redis;
const asSync: Coalescer<'sync', SyncCallOptions> = sync;
// @ts-expect-error a synchronous coalescer is not an asynchronous one
const syncAsAsync: Coalescer<'async'> = sync;
// @ts-expect-error nor the other way round
const asyncAsSync: Coalescer<'sync', SyncCallOptions> = sc;
expectTrue<Equal<ReturnType<typeof asCore.call<number>>, Promise<number>>>();
expectTrue<Equal<ReturnType<typeof asSync.call<number>>, number>>();
expectTrue<Equal<ReturnType<typeof asRedis.callWithInfo<string>>, Promise<CallInfo<string>>>>();
expectTrue<Equal<ReturnType<typeof asCore.forget>, boolean>>();
expectTrue<Equal<ReturnType<typeof asCore.getStats>, SharedCallStats>>();
// The classes keep their richer types beside the contract.
expectTrue<Equal<Awaited<ReturnType<typeof redis.callWithInfo<string>>>, RedisCallInfo<string>>>();
// @ts-expect-error a sync coalescer's fn takes no signal
asSync.call('k', (signal: AbortSignal) => signal.aborted);
// @ts-expect-error an async coalescer's options have no other fields
asCore.call('k', () => 1, { timeout: 5 });

// ---- group(): Coalesced<F, M> keeps parameters, `this` and return type ----
const wrapper: GroupWrapper<'async'> = sc.group();
const double = wrapper((x: number) => x * 2);
expectTrue<Equal<ReturnType<typeof double>, Promise<number>>>();
expectTrue<Equal<Parameters<typeof double>, [x: number]>>();
expectTrue<Equal<ReturnType<typeof double.keyFor>, string>>();
expectTrue<Equal<ReturnType<typeof double.forget>, boolean>>();
// @ts-expect-error the wrapped function checks its arguments
double('2');
// @ts-expect-error and so do its key helpers
double.keyFor('2');
const thenable = wrapper((x: number) => ({ then: (resolve: (value: string) => void) => resolve(String(x)) }));
expectTrue<Equal<ReturnType<typeof thenable>, Promise<string>>>();
const syncDouble = sync.group()((x: number) => x * 2);
expectTrue<Equal<ReturnType<typeof syncDouble>, number>>();
expectTrue<Equal<typeof syncDouble, Coalesced<(x: number) => number, 'sync'>>>();

// ---- A generic function keeps its type parameter through group() ----
const identity = wrapper(async <T>(value: T) => value);
expectTrue<Equal<ReturnType<typeof identity<number>>, Promise<number>>>();
const fromString: Promise<string> = identity('a');
// @ts-expect-error T is inferred per call: a number is not a string
const notString: Promise<string> = identity(1);
const first = sync.group()(<T>(items: readonly T[]) => items[0]);
const firstNumber: number | undefined = first([1, 2]);
// @ts-expect-error the sync wrapper keeps T too
const firstWrong: string | undefined = first([1, 2]);
const remote = redis.group()(async <K extends string>(key: K) => ({ key }));
const remoteKey: Promise<{ key: 'a' }> = remote('a');
// An async wrapper of a generic function returning a plain value: it returns a Promise, and T survives.
const plainIdentity = wrapper(<T>(value: T) => value);
expectTrue<Equal<ReturnType<typeof plainIdentity<number>>, Promise<number>>>();
const plainString: Promise<string> = plainIdentity('a');
// @ts-expect-error T is inferred per call here too
const plainWrong: Promise<string> = plainIdentity(1);
const remotePair = redis.group()(<A, B>(a: A, b: B): [A, B] => [a, b]);
expectTrue<Equal<ReturnType<typeof remotePair<number, string>>, Promise<[number, string]>>>();
const remotePairValue: Promise<[boolean, 'x']> = remotePair(true, 'x' as const);
// A generic `this` is kept as well.
const named = wrapper(function <T>(this: { prefix: string }, value: T) {
  return { prefix: this.prefix, value };
});
const holder = { prefix: 'p', named };
const namedValue: Promise<{ prefix: string; value: number }> = holder.named(1);
// @ts-expect-error the wrapper still checks `this`
named(1);
// A non-generic plain function keeps its key helpers (the generic one can't: see docs/api.md, Coalesced).
expectTrue<Equal<Parameters<typeof double.forget>, [x: number]>>();

// ---- Decorators: a decorated method keeps its type; keyOf / forgetCall check names and arguments ----
class Repo {
  @sc.group()
  async price(sku: string, currency = 'EUR') {
    return { sku, currency, cents: 1 };
  }
  @sync.group()
  size(path: string): number {
    return path.length;
  }
  readonly plain = 1;
}
const repo = new Repo();
expectTrue<Equal<ReturnType<typeof repo.price>, Promise<{ sku: string; currency: string; cents: number }>>>();
expectTrue<Equal<ReturnType<typeof repo.size>, number>>();
const key: string = keyOf(repo, 'price', 'A-1');
const forgotten: boolean = forgetCall(repo, 'price', 'A-1', 'USD');
// @ts-expect-error wrong argument type
keyOf(repo, 'price', 1);
// @ts-expect-error too many arguments
forgetCall(repo, 'size', 'a', 'b');
// @ts-expect-error not a method
keyOf(repo, 'plain');
// @ts-expect-error no such member
forgetCall(repo, 'nothing');

// ---- The legacy-decorator call signature names the fix in its result type ----
declare const target: object;
const legacy = wrapper(target, 'price');
expectTrue<Equal<typeof legacy.legacyDecorator, never>>();

export {
  asyncAsSync,
  firstNumber,
  firstWrong,
  forgotten,
  fromString,
  key,
  namedValue,
  notString,
  plainString,
  plainWrong,
  remotePairValue,
  remoteKey,
  syncAsAsync,
};
