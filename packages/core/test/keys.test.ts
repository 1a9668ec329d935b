import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { runInNewContext } from 'node:vm';
import { argumentKey, argumentsKey } from '@shared-call/core/internal';

/** Equality the automatic key must respect for primitives: SameValue (`Object.is`: NaN = NaN, 0 ≠ -0). */
const sameArgs = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

const primitive = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, NaN),
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
    ['0 vs -0', [0], [-0]],
    ['hole vs undefined', [[, 1]], [[undefined, 1]]],
    ['null prototype vs Object.prototype', [Object.create(null)], [{}]],
    ['invalid Date vs epoch', [new Date(NaN)], [new Date(0)]],
    ['RegExp flags', [/a/g], [/a/]],
    ['RegExp lastIndex', [Object.assign(/a/g, { lastIndex: 1 })], [/a/g]],
    ['Set vs Map', [new Set([1])], [new Map([[1, 1]])]],
    ['Buffer vs Uint8Array', [Buffer.from([1])], [Uint8Array.of(1)]],
    ['Uint8Array vs Int8Array', [Uint8Array.of(1)], [Int8Array.of(1)]],
    ['ArrayBuffer vs DataView', [new ArrayBuffer(1)], [new DataView(new ArrayBuffer(1))]],
    ['string vs its own encoding', [{ a: 1 }], [argumentKey({ a: 1 })]],
    ['lone surrogates', ['\uD800'], ['\uDC00']],
  ])('different: %s', (_label, a, b) => {
    expect(argumentsKey(a)).not.toBe(argumentsKey(b));
  });

  test.each([
    ['property order', [{ a: 1, b: 2 }], [{ b: 2, a: 1 }]],
    ['equal nested structures', [{ x: [1, { y: new Date(5) }] }], [{ x: [1, { y: new Date(5) }] }]],
    ['equal Sets, in any order', [new Set([1, 2])], [new Set([2, 1])]],
    ['equal Maps, in any order', [new Map([[1, { a: 1 }], [2, {}]])], [new Map([[2, {}], [1, { a: 1 }]])]],
    ['NaN', [NaN], [NaN]],
    ['invalid Dates', [new Date(NaN)], [new Date('nonsense')]],
    ['a getter and its value', [{ get x() { return 1; } }], [{ x: 1 }]],
    ['non-enumerable properties are not data', [Object.defineProperty({}, 'hidden', { value: 1 })], [{}]],
    ['typed arrays by the bytes they view', [new Uint8Array([9, 1, 2]).subarray(1)], [Uint8Array.of(1, 2)]],
    ['the same function', [Math.max], [Math.max]],
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

  test('an argument spelled longer than 512 characters is keyed by its SHA-1 digest, still by value', () => {
    const big = Array.from({ length: 200 }, (_, i) => ({ i }));
    expect(argumentKey(big)).toMatch(/^h[0-9a-f]{40}$/);
    expect(argumentKey(big)).toBe(argumentKey(structuredClone(big)));
    expect(argumentKey(big)).not.toBe(argumentKey([...big.slice(1), { i: 0 }]));
    expect(argumentKey('x'.repeat(600))).toMatch(/^h[0-9a-f]{40}$/);
    expect(argumentKey('x'.repeat(500))).toBe('s500:' + 'x'.repeat(500));
  });

  test('cyclic data is spelled with references up to the enclosing object', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    expect(argumentKey(loop)).toBe('{4:name=s4:loop,4:self=^1}');
    const again: Record<string, unknown> = { name: 'loop' };
    again.self = again;
    expect(argumentKey(again)).toBe(argumentKey(loop));
    const shared = { x: 1 };
    expect(argumentKey([shared, shared])).toBe(argumentKey([{ x: 1 }, { x: 1 }])); // not a cycle: copies
  });

  test('class instances, subclasses of built-ins and objects without their slots are keyed by identity', () => {
    class Point {
      constructor(readonly x: number) {}
    }
    class List extends Array<number> {}
    const point = new Point(1);
    expect(argumentKey(point)).toBe(argumentKey(point));
    expect(argumentKey(point)).not.toBe(argumentKey(new Point(1)));
    expect(argumentKey({ x: 1 })).not.toBe(argumentKey(point));
    expect(argumentKey(List.from([1]))).not.toBe(argumentKey(List.from([1])));
    const fake = Object.create(Date.prototype) as Date;
    expect(argumentKey(fake)).toBe(argumentKey(fake));
    expect(argumentKey(fake)).not.toBe(argumentKey(Object.create(Date.prototype)));
  });

  test('built-in data of another realm is keyed like this realm’s', () => {
    const made = runInNewContext('[{ a: [1] }, new Date(5), new Map([[1, /x/g]]), new Set([1]), new Uint8Array([1])]') as unknown[];
    expect(argumentsKey(made)).toBe(argumentsKey([{ a: [1] }, new Date(5), new Map([[1, /x/g]]), new Set([1]), Uint8Array.of(1)]));
  });

  test('functions are keyed by identity, not by source text', () => {
    const make = () => () => 1;
    const f = make();
    expect(argumentKey(f)).toBe(argumentKey(f));
    expect(argumentKey(f)).not.toBe(argumentKey(make()));
  });

  test('registered symbols are keyed by name, other symbols by identity, at any depth', () => {
    expect(argumentKey(Symbol.for('a'))).toBe(argumentKey(Symbol.for('a')));
    expect(argumentKey(Symbol.for('a'))).not.toBe(argumentKey('a'));
    const local = Symbol('a');
    expect(argumentKey(local)).toBe(argumentKey(local));
    expect(argumentKey(local)).not.toBe(argumentKey(Symbol('a')));
    expect(argumentKey({ [local]: [local] })).toBe(argumentKey({ [local]: [local] }));
    expect(argumentKey(Symbol.iterator)).not.toBe(argumentKey(Symbol.asyncIterator));
  });

  test('object-hash only ever digests the key text of long arguments, never a value', () => {
    jest.isolateModules(() => {
      jest.doMock('../src/content-hash', () => ({ contentHash: jest.fn(() => 'digest') }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const keys = require('../src/keys') as typeof import('../src/keys');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const hash = (require('../src/content-hash') as { contentHash: jest.Mock }).contentHash;
      keys.argumentsKey([42, 'abc', true, null, undefined, 7n, { id: 42, tags: ['a'] }, new Date(0), new Map([[1, 2]]), () => 1]);
      expect(hash).not.toHaveBeenCalled();
      const big = Array.from({ length: 200 }, (_, i) => ({ i, at: new Date(i), run: () => i }));
      expect(keys.argumentKey(big)).toBe('hdigest');
      expect(hash).toHaveBeenCalledTimes(1);
      expect(typeof hash.mock.calls[0][0]).toBe('string');
    });
  });

  test('data keys are the same in another process; identity keys never are', () => {
    const code =
      `const { argumentKey } = require(${JSON.stringify(require.resolve('../dist/commonjs/internal.js'))});` +
      `process.stdout.write(JSON.stringify([argumentKey({ a: [1, 'x'], d: new Date(3) }), argumentKey(() => 1)]))`;
    const [data, identity] = JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' })) as string[];
    expect(data).toBe(argumentKey({ a: [1, 'x'], d: new Date(3) }));
    const tagOf = (key: string) => /^i\d+(\..+)$/.exec(key)![1];
    expect(tagOf(identity)).not.toBe(tagOf(argumentKey(() => 1))); // numbers may repeat; the thread tags differ
  });
});
