import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { runInNewContext } from 'node:vm';
import { AsyncSharedCall } from '@shared-call/core';
import { argumentKey, argumentsKey } from '@shared-call/core/internal';

/** Equality the automatic key must respect for primitives: SameValueZero (NaN = NaN, 0 = -0). */
const sameArgs = (a: unknown[], b: unknown[]) =>
  a.length === b.length && a.every((x, i) => x === b[i] || (Number.isNaN(x) && Number.isNaN(b[i])));

const primitive = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constantFrom('1', '', ',', 's1:a', 'n1', 'u', 'l', '(', ')'),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
);

describe('automatic keys', () => {
  test('primitive argument lists get equal keys exactly when they are equal (property)', () => {
    fc.assert(
      fc.property(fc.array(primitive, { maxLength: 4 }), fc.array(primitive, { maxLength: 4 }), (a, b) => {
        expect(argumentsKey(a) === argumentsKey(b)).toBe(sameArgs(a, b));
      }),
      { numRuns: 2_000 },
    );
  });

  test('a list always gets the same key as an equal copy (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 3 }), (args) => {
        expect(argumentsKey(args)).toBe(argumentsKey(structuredClone(args)));
      }),
      { numRuns: 300 },
    );
  });

  test.each([
    ['1 vs "1"', [1], ['1']],
    ['null vs undefined', [null], [undefined]],
    ['true vs "true"', [true], ['true']],
    ['1n vs 1', [1n], [1]],
    ['string containing a separator', ['a,s1:b'], ['a', 'b']],
    ['nested objects', [{ a: { b: 1 } }], [{ a: { b: 2 } }]],
    ['arrays are ordered', [[1, 2]], [[2, 1]]],
    ['array vs object', [[1]], [{ 0: 1 }]],
    ['different Dates', [new Date(1)], [new Date(2)]],
    ['BigInt inside objects', [{ n: 1n }], [{ n: 2n }]],
    ['Maps by content', [new Map([['a', 1]])], [new Map([['a', 2]])]],
    ['undefined vs missing property', [{ a: undefined }], [{}]],
    ['arity', [1], [1, undefined]],
  ])('different: %s', (_label, a, b) => {
    expect(argumentsKey(a)).not.toBe(argumentsKey(b));
  });

  test.each([
    ['property order', [{ a: 1, b: 2 }], [{ b: 2, a: 1 }]],
    ['equal nested structures', [{ x: [1, { y: new Date(5) }] }], [{ x: [1, { y: new Date(5) }] }]],
    ['equal Sets', [new Set([1, 2])], [new Set([1, 2])]],
    ['0 and -0', [0], [-0]],
    ['NaN', [NaN], [NaN]],
  ])('equal: %s', (_label, a, b) => {
    expect(argumentsKey(a)).toBe(argumentsKey(b));
  });

  test('plain data equal by value gets one key, whatever its realm or property order (property)', () => {
    const normalize = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown; // JSON has no -0, no undefined
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const [x, y] = [normalize(a), normalize(b)];
        expect(argumentKey(x) === argumentKey(y)).toBe(isDeepStrictEqual(x, y));
        expect(argumentKey(x)).toBe(argumentKey(runInNewContext('JSON.parse(text)', { text: JSON.stringify(x) })));
      }),
      { numRuns: 1_000 },
    );
  });

  test('large and cyclic plain data is hashed, still by value', () => {
    const big = Array.from({ length: 200 }, (_, i) => ({ i }));
    expect(argumentKey(big)).toMatch(/^o/);
    expect(argumentKey(big)).toBe(argumentKey(structuredClone(big)));
    expect(argumentKey(big)).not.toBe(argumentKey([...big.slice(1), { i: 0 }]));
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(argumentKey(cyclic)).toMatch(/^o/);
  });

  test('class instances and arrays of a subclass are not mistaken for plain data', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    class List extends Array<number> {}
    expect(argumentKey(new Point(1))).toMatch(/^o/);
    expect(argumentKey(List.from([1]))).toMatch(/^o/);
    expect(argumentKey({ x: 1 })).not.toBe(argumentKey(new Point(1)));
  });

  test('functions are keyed by identity, not by source text', () => {
    const make = () => () => 1;
    const f = make();
    expect(argumentKey(f)).toBe(argumentKey(f));
    expect(argumentKey(f)).not.toBe(argumentKey(make()));
  });

  test('registered symbols are keyed by name; unique symbols are rejected with a hint to use keyFn', async () => {
    expect(argumentKey(Symbol.for('a'))).toBe(argumentKey(Symbol.for('a')));
    expect(argumentKey(Symbol.for('a'))).not.toBe(argumentKey('a'));
    expect(() => argumentKey(Symbol('local'))).toThrow(/pass keyFn/);
    const wrapped = new AsyncSharedCall().group()(async (s: symbol) => s);
    await expect(wrapped(Symbol('local'))).rejects.toThrow(TypeError);
  });

  test('primitives and small plain data do not go through object-hash (fast path); other objects do', () => {
    jest.isolateModules(() => {
      jest.doMock('../src/content-hash', () => ({ contentHash: jest.fn(() => 'hashed') }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const keys = require('../src/keys') as typeof import('../src/keys');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const hash = (require('../src/content-hash') as { contentHash: jest.Mock }).contentHash;
      keys.argumentsKey([42, 'abc', true, null, undefined, 7n]);
      keys.argumentsKey([{ id: 42, tags: ['a', 'b'], nested: { ok: true } }, [1, [2]], Object.create(null)]);
      expect(hash).not.toHaveBeenCalled();
      expect(keys.argumentsKey([new Date(0)])).toBe('ohashed');
      expect(keys.argumentsKey([{ when: new Date(0) }])).toBe('ohashed');
      expect(hash).toHaveBeenCalledTimes(2);
    });
  });
});
