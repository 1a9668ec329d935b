import { AsyncSharedCall } from '@shared-call/core';
import { deferred, within } from './helpers';

/** A slow async function that counts its executions. */
function counted<A extends unknown[], R>(body: (...args: A) => R) {
  const gate = deferred<void>();
  const runs: A[] = [];
  const fn = async (...args: A) => {
    runs.push(args);
    await gate.promise;
    return body(...args);
  };
  return { fn, runs, release: () => gate.resolve() };
}

describe('group(): wrapper', () => {
  test('equal arguments share a flight, different arguments do not', async () => {
    const sc = new AsyncSharedCall();
    const user = counted((id: number) => ({ id }));
    const fetchUser = sc.group()(user.fn);
    const calls = [fetchUser(1), fetchUser(1), fetchUser(2), fetchUser(1)];
    user.release();
    const [a, b, c, d] = await within(Promise.all(calls));
    expect(user.runs).toEqual([[1], [2]]);
    expect(a).toBe(b);
    expect(a).toBe(d);
    expect(c).toEqual({ id: 2 });
  });

  test('keeps the function name and passes `this` through', async () => {
    const sc = new AsyncSharedCall();
    const wrapped = sc.group()(async function load(this: { base: number }, n: number) {
      return this.base + n;
    });
    expect(wrapped.name).toBe('load');
    expect(await wrapped.call({ base: 10 }, 5)).toBe(15);
  });

  test('two different functions with the same name never share a flight', async () => {
    const sc = new AsyncSharedCall();
    const a = sc.group()(async function load(x: number) {
      return `a${x}`;
    });
    const b = sc.group()(async function load(x: number) {
      return `b${x}`;
    });
    expect(a.keyFor(1)).not.toBe(b.keyFor(1));
    expect(await Promise.all([a(1), b(1)])).toEqual(['a1', 'b1']);
  });

  test('the same function wrapped by one group() call has one key space; errors are shared', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<never>();
    const fn = jest.fn(() => gate.promise);
    const wrapped = sc.group()(fn);
    const calls = [wrapped(), wrapped()];
    const boom = new Error('boom');
    gate.reject(boom);
    for (const c of calls) await expect(c).rejects.toBe(boom);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  test('keyFn replaces the argument part of the key (seed: key_fn=lambda user_id, ts: f"user:{user_id}")', async () => {
    const sc = new AsyncSharedCall();
    const user = counted((id: number, ts: number) => ({ id, ts }));
    const fetchUser = sc.group({ keyFn: (id: number) => `user:${id}` })(user.fn);
    const calls = [fetchUser(42, 1), fetchUser(42, 2), fetchUser(7, 3)];
    user.release();
    const results = await within(Promise.all(calls));
    expect(user.runs).toEqual([[42, 1], [7, 3]]);
    expect(results[1]).toBe(results[0]);
    expect(fetchUser.keyFor(42, 99)).toMatch(/:user:42$/);
  });

  test('keyFn is called with the call’s `this`', async () => {
    const sc = new AsyncSharedCall();
    const seen: unknown[] = [];
    const wrapped = sc.group({
      keyFn(this: unknown, id: number) {
        seen.push(this);
        return String(id);
      },
    })(async (id: number) => id);
    const self = { tenant: 't1' };
    await wrapped.call(self, 1);
    expect(seen).toEqual([self]);
  });

  test('name replaces the function part: functions with the same name share flights', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    const first = jest.fn((_id: number) => gate.promise);
    const second = jest.fn(async (_id: number) => 'second');
    const a = sc.group({ name: 'users' })(first);
    const b = sc.group({ name: 'users' })(second);
    expect(a.keyFor(1)).toBe(b.keyFor(1));
    const calls = [a(1), b(1)];
    gate.resolve('first');
    expect(await Promise.all(calls)).toEqual(['first', 'first']);
    expect(second).not.toHaveBeenCalled();
  });

  test('keyFor gives the key a call would use; forget(...args) forgets that flight', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    const fn = jest.fn((_name: string, _n: number) => gate.promise);
    const wrapped = sc.group({ name: 'cfg' })(fn);
    expect(wrapped.keyFor('a', 1)).toBe('3|cfg(s1:a,n1)');
    const first = wrapped('a', 1);
    expect(wrapped.forget('a', 1)).toBe(true);
    expect(wrapped.forget('a', 1)).toBe(false);
    const second = wrapped('a', 1);
    expect(fn).toHaveBeenCalledTimes(2);
    gate.resolve('v');
    await Promise.all([first, second]);
  });

  test('timeoutMs in group options bounds each call', async () => {
    const sc = new AsyncSharedCall();
    const wrapped = sc.group({ timeoutMs: 10 })(() => new Promise<never>(() => undefined));
    await expect(within(wrapped(), 2_000)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  test('a wrapped synchronous function returns a promise of its value', async () => {
    const sc = new AsyncSharedCall();
    const double = sc.group()((x: number) => x * 2);
    const result: Promise<number> = double(21);
    expect(await result).toBe(42);
  });
});

describe('group(): TC39 method decorator', () => {
  test('coalesces per instance: two instances never share a flight', async () => {
    const sc = new AsyncSharedCall();
    const runs: string[] = [];
    const gate = deferred<void>();
    class Repo {
      constructor(readonly name: string) {}
      @sc.group()
      async byId(id: number) {
        runs.push(`${this.name}:${id}`);
        await gate.promise;
        return { repo: this.name, id };
      }
    }
    const a = new Repo('a');
    const b = new Repo('b');
    const calls = [a.byId(1), a.byId(1), b.byId(1), a.byId(2)];
    gate.resolve();
    const [a1, a1again, b1, a2] = await within(Promise.all(calls));
    expect(runs).toEqual(['a:1', 'b:1', 'a:2']);
    expect(a1).toBe(a1again);
    expect(b1).toEqual({ repo: 'b', id: 1 });
    expect(a2).toEqual({ repo: 'a', id: 2 });
  });

  test('with keyFn, instances share a flight when keyFn says so', async () => {
    const sc = new AsyncSharedCall();
    let runs = 0;
    const gate = deferred<void>();
    class Repo {
      @sc.group({ keyFn: (id: number) => `product:${id}` })
      async byId(id: number) {
        runs++;
        await gate.promise;
        return id;
      }
    }
    const calls = [new Repo().byId(1), new Repo().byId(1)];
    gate.resolve();
    expect(await Promise.all(calls)).toEqual([1, 1]);
    expect(runs).toBe(1);
  });

  test('keyFor and forget on a method take the instance as `this`', async () => {
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    class Repo {
      @sc.group()
      load(id: number): Promise<string> {
        return gate.promise.then((v) => `${v}${id}`);
      }
    }
    const repo = new Repo();
    const other = new Repo();
    const helpers = Repo.prototype.load as unknown as {
      keyFor(this: unknown, id: number): string;
      forget(this: unknown, id: number): boolean;
    };
    expect(helpers.keyFor.call(repo, 1)).not.toBe(helpers.keyFor.call(other, 1));
    const call = repo.load(1);
    expect(helpers.forget.call(other, 1)).toBe(false);
    expect(helpers.forget.call(repo, 1)).toBe(true);
    gate.resolve('v');
    expect(await call).toBe('v1');
  });

  test('decorating something other than a method is rejected', () => {
    const sc = new AsyncSharedCall();
    const decorate = sc.group() as unknown as (value: unknown, context: { kind: string; name: string }) => unknown;
    expect(() => decorate(() => 1, { kind: 'getter', name: 'x' })).toThrow(/decorates methods only/);
  });
});

describe('the function part of a key cannot be forged by a name', () => {
  test('a name ending in ":" and a keyFn, or a name holding "(", never spell another wrapper\'s key', async () => {
    const sc = new AsyncSharedCall();
    const byName = sc.group({ name: 'user:' })(async (id: number) => `secret of ${id}`);
    const byKeyFn = sc.group({ name: 'user', keyFn: () => '(n1)' })(async () => 'public');
    expect(byName.keyFor(1)).not.toBe(byKeyFn.keyFor());
    const [secret, other] = await Promise.all([byName(1), byKeyFn()]);
    expect(secret).toBe('secret of 1');
    expect(other).toBe('public');
    const nested = sc.group({ name: 'f(n1)' })(async () => 'nested');
    const plain = sc.group({ name: 'f' })(async (..._: number[]) => 'plain');
    expect(nested.keyFor()).not.toBe(plain.keyFor(1));
    expect(nested.keyFor()).not.toBe(plain.keyFor());
  });
});
