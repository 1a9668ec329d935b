import { types } from 'node:util';
import { decodeError, encodeError, encodeErrorExactly } from '@shared-call/core/internal';
import { expectFaithfulCopy } from '@shared-call/test-utils';

/** Encodes, sends through JSON as a transport would, and decodes. */
const roundTrip = (thrown: unknown, classes: Parameters<typeof encodeError>[1] = []) =>
  decodeError(JSON.parse(JSON.stringify(encodeError(thrown, classes))), classes);

class NotFoundError extends Error {
  override name = 'NotFoundError';
}

describe('error codec', () => {
  test('keeps the built-in class, message, stack, code and cause', () => {
    const cause = new RangeError('inner');
    const error = Object.assign(new TypeError('outer', { cause }), { code: 'E_OUTER' });
    expectFaithfulCopy(roundTrip(error), error);
  });

  test('keeps a custom name on the nearest built-in class, or the class itself when registered', () => {
    const plain = roundTrip(new NotFoundError('gone')) as Error;
    expect(plain.constructor).toBe(Error);
    expect(plain.name).toBe('NotFoundError');
    const registered = roundTrip(new NotFoundError('gone'), [NotFoundError]) as Error;
    expect(registered).toBeInstanceOf(NotFoundError);
    expect(registered.name).toBe('NotFoundError');
    expect(registered.message).toBe('gone');
  });

  test('keeps AggregateError members, DOMException names and non-error values', () => {
    const aggregate = roundTrip(new AggregateError([new Error('a'), 'b'], 'many')) as AggregateError;
    expect(aggregate).toBeInstanceOf(AggregateError);
    expect((aggregate.errors[0] as Error).message).toBe('a');
    expect(aggregate.errors[1]).toBe('b');
    const abort = roundTrip(new DOMException('stop', 'AbortError')) as DOMException;
    expect(abort).toBeInstanceOf(DOMException);
    expect(abort.name).toBe('AbortError');
    expect(roundTrip(42)).toBe(42);
    expect(roundTrip(undefined)).toBeUndefined();
  });

  test('ends cause cycles', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(() => JSON.stringify(encodeError(error))).not.toThrow();
  });

  test('rejects malformed input with a TypeError and never resolves arbitrary classes', () => {
    expect(() => decodeError(null)).toThrow(TypeError);
    expect(() => decodeError({ kind: 'error', type: 'Error', name: 1, message: 'm' })).toThrow(/name/);
    expect(() => decodeError({ kind: 'error', type: 'Error', name: 'E', message: 'm', code: {} })).toThrow(/code/);
    expect(() => decodeError({ kind: 'nope' })).toThrow(/kind/);
    const forged = decodeError({ kind: 'error', type: 'Function', name: 'Function', message: 'x' });
    expect(forged).toBeInstanceOf(Error);
    expect(forged).not.toBeInstanceOf(Function);
  });

  test('keeps own enumerable fields; registered classes come back native, their constructors not run', () => {
    let constructed = 0;
    class NotFound extends Error {
      override name = 'NotFound';
      status = 404;
      constructor(message: string) {
        super(message);
        constructed++;
      }
    }
    const decoded = roundTrip(Object.assign(new NotFound('user 7'), { code: 'E_NF', detail: { id: 7 } }), [NotFound]);
    expect(constructed).toBe(1);
    expect(decoded).toBeInstanceOf(NotFound);
    expect(types.isNativeError(decoded)).toBe(true);
    expect(Object.entries(decoded as object)).toEqual([
      ['name', 'NotFound'],
      ['status', 404],
      ['code', 'E_NF'],
      ['detail', { id: 7 }],
    ]);
    expect((decoded as Error).message).toBe('user 7');
    const bare = roundTrip(new RangeError()) as Error;
    expect(Object.hasOwn(bare, 'message')).toBe(false); // as `new RangeError()` has none
    expect(roundTrip(Object.assign(new Error('x'), { status: 500 }))).toMatchObject({ status: 500 });
  });

  test('encodeErrorExactly refuses what decodeError could not rebuild exactly', () => {
    class Unlisted extends Error {}
    const accessor = Object.defineProperty(new Error('a'), 'lazy', { get: () => 1, enumerable: true });
    const hidden = Object.defineProperty(new Error('h'), 'hidden', { value: 1, enumerable: false });
    const symbol = Object.assign(new Error('s'), { [Symbol('s')]: 1 });
    let chain: Error = new Error('root');
    for (let i = 0; i < 10; i++) chain = new Error('level ' + i, { cause: chain });
    const cycle = new Error('loop') as Error & { cause?: unknown };
    cycle.cause = cycle;
    for (const error of [new Unlisted('u'), accessor, hidden, symbol, chain, cycle]) {
      expect(encodeErrorExactly(error, [])).toBeUndefined();
    }
    expect(encodeErrorExactly(new Unlisted('u'), [Unlisted])).toMatchObject({ type: 'Unlisted' });
    const fine = new AggregateError([new TypeError('t')], 'all', { cause: 'why' });
    expect(encodeErrorExactly(fine, [])).toEqual(encodeError(fine));
    expect(encodeErrorExactly(new DOMException('m', 'AbortError'), [])).toMatchObject({ type: 'DOMException' });
  });
});
