import fc from 'fast-check';
import { argumentKey, argumentsKey, AsyncSharedCall } from '@shared-call/core';

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

  test('primitive arguments do not go through object-hash (fast path)', () => {
    jest.isolateModules(() => {
      jest.doMock('object-hash', () => jest.fn(() => 'hashed'));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const keys = require('../src/keys') as typeof import('../src/keys');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const hash = require('object-hash') as jest.Mock;
      keys.argumentsKey([42, 'abc', true, null, undefined, 7n]);
      expect(hash).not.toHaveBeenCalled();
      expect(keys.argumentsKey([{ id: 42 }])).toBe('ohashed');
      expect(hash).toHaveBeenCalledTimes(1);
    });
  });
});
