import fc from 'fast-check';
import { decodeBody, encodeOutcome, LOCAL_BODY } from '../src/payload';
import { difference } from './exact-equal';
import { exactValue, inexactValue, NotFoundError } from './rich-values';

const limits = { maxResultBytes: 1 << 20, errorClasses: [NotFoundError] };

/** What a waiter would receive for `fn`'s outcome: the decoded envelope. */
const handOver = (outcome: Parameters<typeof encodeOutcome>[0], options = limits) =>
  decodeBody(encodeOutcome(outcome, options), options);

describe('what crosses', () => {
  test('generated rich values, returned or thrown, decode to exactly themselves', () => {
    fc.assert(
      fc.property(exactValue, fc.boolean(), (value, thrown) => {
        const received = handOver(thrown ? { ok: false, error: value } : { ok: true, value });
        expect(received.t).toBe(thrown ? 'err' : 'ok');
        const decoded = thrown ? (received as { error: unknown }).error : (received as { value: unknown }).value;
        expect(difference(decoded, value)).toBeUndefined();
      }),
      { numRuns: 1500 },
    );
  });

  test('anything that would cross approximately makes waiters run fn themselves', () => {
    fc.assert(
      fc.property(inexactValue, fc.boolean(), (value, thrown) => {
        expect(encodeOutcome(thrown ? { ok: false, error: value } : { ok: true, value }, limits)).toBe(LOCAL_BODY);
      }),
      { numRuns: 500 },
    );
  });

  test('examples of the issue: -0, own undefined, null prototype, error fields; shared references stay shared', () => {
    const nullProto = Object.assign(Object.create(null), { a: 1 });
    const shared = { n: 1 };
    const huge = -(2n ** 100_000n) + 1n; // hexadecimal on the wire: linear to encode and decode
    const value = { zero: -0, gone: undefined, nullProto, refs: [shared, shared], error: new NotFoundError('user 7'), huge };
    const decoded = (handOver({ ok: true, value }) as { value: typeof value }).value;
    expect(difference(decoded, value)).toBeUndefined();
    expect(Object.is(decoded.zero, -0)).toBe(true);
    expect(Object.hasOwn(decoded, 'gone')).toBe(true);
    expect(Object.getPrototypeOf(decoded.nullProto)).toBeNull();
    expect(decoded.refs[0]).toBe(decoded.refs[1]);
    expect(decoded.error).toBeInstanceOf(NotFoundError);
    expect(decoded.error.status).toBe(404);
    const error = (handOver({ ok: false, error: new NotFoundError('x') }) as { error: NotFoundError }).error;
    expect([error.name, error.status, error.message]).toEqual(['NotFoundError', 404, 'x']);
    // Unregistered, NotFoundError is not rebuilt exactly: not shared.
    expect(encodeOutcome({ ok: false, error: new NotFoundError('x') }, { ...limits, errorClasses: [] })).toBe(LOCAL_BODY);
  });

  test('no getter runs, and encoding stops as soon as the body exceeds maxResultBytes', () => {
    let reads = 0;
    const trap = Object.defineProperty({}, 'lazy', { get: () => ++reads, enumerable: true });
    expect(encodeOutcome({ ok: true, value: { trap } }, limits)).toBe(LOCAL_BODY);
    expect(reads).toBe(0);
    const small = { ...limits, maxResultBytes: 1000 };
    const visited = jest.spyOn(Reflect, 'getOwnPropertyDescriptor');
    try {
      expect(encodeOutcome({ ok: true, value: Array.from({ length: 1_000_000 }, (_, i) => i) }, small)).toBe(LOCAL_BODY);
      expect(visited.mock.calls.length).toBeLessThan(1000);
    } finally {
      visited.mockRestore();
    }
    const huge = new Uint8Array(50_000_000);
    const ownKeys = jest.spyOn(Reflect, 'ownKeys');
    try {
      expect(encodeOutcome({ ok: true, value: huge }, small)).toBe(LOCAL_BODY); // refused before any per-element work
      expect(ownKeys).not.toHaveBeenCalled();
    } finally {
      ownKeys.mockRestore();
    }
    expect(encodeOutcome({ ok: true, value: 'é'.repeat(600) }, small)).toBe(LOCAL_BODY); // 1200 UTF-8 bytes
  });

  test('too deep, or failing in any way while encoding: the "run it yourself" body, never an exception', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(encodeOutcome({ ok: true, value: deep }, limits)).toBe(LOCAL_BODY);
    const hostile = new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } });
    expect(encodeOutcome({ ok: true, value: hostile }, limits)).toBe(LOCAL_BODY);
  });
});

describe('what is refused when read from Redis', () => {
  test('oversized, deeply nested, malformed and prototype-pollution bodies throw a TypeError', () => {
    expect(() => decodeBody('"' + 'x'.repeat(20_000) + '"', { ...limits, maxResultBytes: 10_000 })).toThrow(/exceeds maxResultBytes/);
    const bad = [
      '{"t":"ok","v":' + '["a",'.repeat(100_000) + '1' + ']'.repeat(100_000) + '}',
      '{"t":"ok","v":["o","__proto__",["o","polluted",1]]}',
      '{"t":"ok","v":["o","a",["o","constructor",["o","prototype",["o"]]]]}',
      '{"t":"ok","v":{"__proto__":{"polluted":1}}}',
      '{"t":"ok","v":["r",0]}',
      '{"t":"ok","v":["e",["o","kind","error","type","Error","name","E","message","m","cause",["r",0]]]}',
      '{"t":"ok","v":["x"]}',
      '{"t":"ok","v":["b","12; evil()"]}',
      '{"t":"ok","v":["b","-"]}',
      '{"t":"ok","v":["t","Float64Array","AAE="]}',
      '{"t":"ok","v":["t","Function","AAE="]}',
      '{"t":"ok","v":["o","a"]}',
      '{"t":"ok"}',
      '{"t":"err","e":["e",["o","kind","error"]]}',
      '{"t":"err","e":["e",["o","kind","error","type","Error","name","E","message","m","fields",5]]}',
      'null',
      'not json',
      '{"v":1}',
    ];
    for (const body of bad) expect(() => decodeBody(body, limits)).toThrow(TypeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a crafted class name never reaches an unregistered class or a constructor', () => {
    const body = '{"t":"err","e":["e",["o","kind","error","type","Function","name","Function","message","x"]]}';
    const { error } = decodeBody(body, limits) as { error: unknown };
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(Function);
  });
});
