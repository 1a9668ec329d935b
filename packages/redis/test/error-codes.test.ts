import { RedisSharedCall, RedisTimeoutError } from '@shared-call/redis';
import { withTimeout } from '../src/redis-timeout';
import { client, closeAll, coalescer } from './helpers';

// Every error redis raises that a caller may catch has a stable `code` or an exported class (docs/api.md).
afterEach(closeAll);

describe('error codes of @shared-call/redis', () => {
  const rejection = (run: () => Promise<unknown>) => run().then(() => undefined, (error: unknown) => error);
  const thrown = (run: () => unknown) => rejection(async () => run());

  test.each([
    ['ERR_INVALID_ARG_TYPE', TypeError, () => thrown(() => new RedisSharedCall(undefined as never))],
    ['ERR_INVALID_ARG_TYPE', TypeError, () => thrown(() => new RedisSharedCall({ redis: {} as never }))],
    ['ERR_INVALID_ARG_TYPE', TypeError, () => thrown(() => new RedisSharedCall({ redis: client(), leaseMs: '5' as never }))],
    ['ERR_OUT_OF_RANGE', RangeError, () => thrown(() => new RedisSharedCall({ redis: client(), leaseMs: 1 }))],
    [
      'ERR_SHARED_CALL_CLOSED',
      Error,
      async () => {
        const sc = coalescer();
        await sc.close();
        return rejection(() => sc.call('k', () => 1));
      },
    ],
    [
      'ERR_SHARED_CALL_REDIS_TIMEOUT',
      RedisTimeoutError,
      () => rejection(() => withTimeout(new Promise(() => {}), 5, 'EVAL')),
    ],
  ])('%s (%p)', async (code, type, trigger) => {
    const error = await trigger();
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ code });
  });

  test('RedisTimeoutError is exported with its name, for code that inspects why a call ran locally', () => {
    const error = new RedisTimeoutError('Redis did not answer EVAL within 5 ms');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'RedisTimeoutError', code: 'ERR_SHARED_CALL_REDIS_TIMEOUT' });
  });
});
