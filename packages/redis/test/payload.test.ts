import { decodeBody, encodeOutcome, isShareable, LOCAL_BODY } from '../src/payload';

const limits = { maxResultBytes: 10_000, errorClasses: [] };

describe('shared values', () => {
  test('plain data is shareable; anything JSON would change is not', () => {
    for (const value of [null, 0, 'x', true, undefined, [1, 'a'], { a: { b: [null] }, c: undefined }]) {
      expect(isShareable(value, 0)).toBe(true);
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const notShareable = [
      NaN,
      Infinity,
      10n,
      () => 1,
      Symbol('s'),
      new Date(0),
      new Map(),
      new (class Point {})(),
      [1, , 3],
      [undefined],
      cycle,
      JSON.parse('{"__proto__":{"x":1}}'),
      { constructor: { prototype: {} } },
    ];
    for (const value of notShareable) expect(isShareable(value, 0)).toBe(false);
    expect(isShareable(Object.create(null), 0)).toBe(true);
  });

  test('round trip through the codec; unshareable or oversized values become the "run it yourself" body', () => {
    const value = { id: 1, tags: ['a'], nested: { deep: [1, 2, { x: null }] } };
    expect(decodeBody(encodeOutcome({ ok: true, value }, limits), limits)).toEqual({ t: 'ok', value });
    expect(decodeBody(encodeOutcome({ ok: true, value: undefined }, limits), limits)).toEqual({
      t: 'ok',
      value: undefined,
    });
    expect(encodeOutcome({ ok: true, value: new Date() }, limits)).toBe(LOCAL_BODY);
    expect(encodeOutcome({ ok: true, value: 'x'.repeat(20_000) }, limits)).toBe(LOCAL_BODY);
  });

  test('decoding refuses oversized, deeply nested and malformed bodies with a TypeError', () => {
    expect(() => decodeBody('"' + 'x'.repeat(20_000) + '"', limits)).toThrow(/exceeds maxResultBytes/);
    const roomy = { ...limits, maxResultBytes: 1_000_000 };
    const bad = [
      '['.repeat(100_000) + ']'.repeat(100_000),
      '{"t":"ok","v":{"a":{"__proto__":{}}}}',
      '{"t":"err","e":{"kind":"error"}}',
      '{"t":"err","e":{"kind":"error","type":"Error","name":"E","message":"m","errors":{}}}',
      'null',
      '{"v":1}',
    ];
    for (const body of bad) expect(() => decodeBody(body, roomy)).toThrow(TypeError);
  });
});
