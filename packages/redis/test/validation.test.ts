import { escapeName, flightNames, RedisSharedCall } from '@shared-call/redis';
import { client, closeAll, coalescer } from './helpers';

afterEach(closeAll);

describe('bad input', () => {
  test('options are checked at construction, naming the option', () => {
    const redis = client();
    const make = (options: unknown) => () => new RedisSharedCall(options as never);
    expect(make(undefined)).toThrow(TypeError);
    expect(make({})).toThrow(/options\.redis/);
    expect(make({ redis: { get() {} } })).toThrow(/options\.redis must be an ioredis client/);
    expect(make({ redis, namespace: 5 })).toThrow(/options\.namespace/);
    expect(make({ redis, leaseMs: '1s' })).toThrow(TypeError);
    expect(make({ redis, leaseMs: 10 })).toThrow(RangeError);
    expect(make({ redis, leaseMs: 1.5e3 + 0.5 })).toThrow(/options\.leaseMs/);
    expect(make({ redis, resultTtlMs: 0 })).toThrow(/options\.resultTtlMs/);
    expect(make({ redis, timeoutMs: Infinity })).toThrow(/options\.timeoutMs/);
    expect(make({ redis, maxResultBytes: -1 })).toThrow(/options\.maxResultBytes/);
    expect(make({ redis, errorClasses: [1] })).toThrow(/options\.errorClasses/);
  });

  test('calls reject (never throw) with errors naming the argument', async () => {
    const sc = coalescer();
    await expect(sc.call(5 as never, () => 1)).rejects.toThrow(/key must be a string/);
    await expect(sc.call('k', 'fn' as never)).rejects.toThrow(/fn must be a function/);
    await expect(sc.call('k', () => 1, { timeoutMs: -1 })).rejects.toThrow(RangeError);
    expect(() => sc.forget(1 as never)).toThrow(TypeError);
    expect(() => sc.group({ keyFn: 3 } as never)).toThrow(/keyFn/);
  });
});

describe('names', () => {
  test('escaping is injective and keeps every flight in one hash slot', () => {
    expect(escapeName('a:b{c}%')).toBe('a%3ab%7bc%7d%25');
    expect(flightNames('a:b', 'c').lease).not.toBe(flightNames('a', 'b:c').lease);
    expect(flightNames('', 'x')).toEqual({
      lease: 'shared-call:{:x}:lease',
      result: 'shared-call:{:x}:result',
      channel: 'shared-call:{:x}:done',
      fence: 'shared-call:{:x}:fence',
      waiters: 'shared-call:{:x}:waiters',
    });
  });
});
