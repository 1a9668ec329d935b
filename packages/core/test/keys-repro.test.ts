import { AsyncSharedCall } from '@shared-call/core';
import { argumentKey, argumentsKey } from '@shared-call/core/internal';
import { deferred } from './helpers';

// The defects of issue 8, item 1, as a user meets them.
describe('automatic keys never merge different arguments (issue 8.1 repros)', () => {
  test('a closure nested in an object argument is keyed by identity: each caller gets its own rows', async () => {
    const sc = new AsyncSharedCall();
    const rows = [1, 2, 3];
    const gate = deferred<void>();
    const find = sc.group()(async (query: { where: (row: number) => boolean }) => {
      await gate.promise;
      return rows.filter(query.where);
    });
    const byId = (id: number) => find({ where: (row) => row === id });
    const [one, two] = [byId(1), byId(2)];
    gate.resolve();
    expect(await one).toEqual([1]);
    expect(await two).toEqual([2]);
  });

  test('nested unique symbols are keyed by identity, like top-level ones', () => {
    const [a, b] = [Symbol('tag'), Symbol('tag')];
    expect(argumentKey({ tag: a })).not.toBe(argumentKey({ tag: b }));
    expect(argumentKey({ tag: a })).toBe(argumentKey({ tag: a }));
    expect(argumentKey(a)).not.toBe(argumentKey(b));
    expect(argumentKey(a)).toBe(argumentKey(a));
  });

  test('0 and -0 never share a key, at any depth and through the wrapper’s reuse of its last key', () => {
    expect(argumentKey(-0)).not.toBe(argumentKey(0));
    expect(argumentKey({ x: -0 })).not.toBe(argumentKey({ x: 0 }));
    expect(argumentKey([-0])).not.toBe(argumentKey([0]));
    const wrapped = new AsyncSharedCall().group()(async (x: number) => Object.is(x, -0));
    expect(wrapped.keyFor(0)).not.toBe(wrapped.keyFor(-0));
  });

  test('symbol-keyed properties, array holes and extra array properties are part of the data', () => {
    const s = Symbol('k');
    expect(argumentKey({ [s]: 1 })).not.toBe(argumentKey({ [s]: 2 }));
    // eslint-disable-next-line no-sparse-arrays
    expect(argumentsKey([[, 1]])).not.toBe(argumentsKey([[1, ,]]));
    expect(argumentKey(Object.assign([1], { page: 2 }))).not.toBe(argumentKey([1]));
  });

  test('DataViews, typed arrays with -0 and dates with extra properties are keyed by their whole content', () => {
    const view = (byte: number) => new DataView(Uint8Array.of(byte).buffer);
    expect(argumentKey(view(1))).not.toBe(argumentKey(view(2)));
    expect(argumentKey(Float64Array.of(-0))).not.toBe(argumentKey(Float64Array.of(0)));
    expect(argumentKey(Object.assign(new Date(0), { zone: 'UTC' }))).not.toBe(argumentKey(new Date(0)));
  });

  test('a Set whose members are also referenced elsewhere is not confused with its mirror image', () => {
    const [a, b] = [{ x: 1 }, { y: 1 }];
    expect(argumentKey([new Set([a, b]), a])).not.toBe(argumentKey([new Set([b, a]), b]));
  });

  test('a boxed number is not the number', () => {
    const big = Array.from({ length: 100 }, (_, i) => i);
    // eslint-disable-next-line no-new-wrappers
    expect(argumentKey({ big, n: new Number(1) })).not.toBe(argumentKey({ big, n: 1 }));
  });
});
