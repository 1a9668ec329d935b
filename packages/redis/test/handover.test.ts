import fc from 'fast-check';
import { encodeOutcome, LOCAL_BODY } from '../src/payload';
import * as valueEncoder from '../src/value-encoder';
import { closeAll, coalescer, deferred, freshNamespace, leaseHolder, spiedConnection, type SpiedConnection } from './helpers';
import { difference } from './exact-equal';
import { exactValue, inexactValue, NotFoundError } from './rich-values';

afterEach(closeAll);

const RAN_ITSELF = Symbol('the waiter ran fn itself');

/** Resolves once `waiter` is subscribed and has asked Redis again: from then on it receives the leader's message. */
function parked(waiter: SpiedConnection): Promise<void> {
  const { promise, resolve } = deferred<void>();
  waiter.beforeReply = () => {
    if (waiter.subscribes > 0) resolve();
  };
  return promise;
}

/**
 * Leader in one coalescer, waiter in another (each stands for a process): the leader's `fn` settles with
 * `outcome` once the waiter is parked. Returns what the leader's caller and the waiter received.
 */
async function handOver(outcome: { value: unknown } | { error: unknown }, options: { maxResultBytes?: number } = {}) {
  const namespace = freshNamespace();
  const redis = spiedConnection();
  const [a, b] = [coalescer({ namespace, errorClasses: [NotFoundError], ...options }), coalescer({ namespace, redis, errorClasses: [NotFoundError], ...options })];
  const waiting = parked(redis);
  const settle = deferred();
  const leader = a.call('k', async () => {
    await settle.promise;
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  });
  await leaseHolder(namespace, 'k');
  const waiter = b.call('k', () => RAN_ITSELF as unknown, { timeoutMs: 10_000 });
  await Promise.race([waiting, waiter.catch(() => {})]);
  settle.resolve();
  const settled = (p: Promise<unknown>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));
  return { leader: await settled(leader), waiter: await settled(waiter), stats: b.getStats() };
}

describe('what a waiter in another process receives', () => {
  test('exactly fn\'s value or thrown value (generated rich values), or it ran fn itself when that is impossible', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(exactValue, inexactValue), fc.boolean(), async (value, thrown) => {
        const outcome = thrown ? { ok: false, error: value } as const : { ok: true, value } as const;
        const crossable = encodeOutcome(outcome, { maxResultBytes: 1 << 20, errorClasses: [NotFoundError] }) !== LOCAL_BODY;
        const { leader, waiter, stats } = await handOver(thrown ? { error: value } : { value });
        expect(thrown ? (leader as { error: unknown }).error : (leader as { value: unknown }).value).toBe(value);
        if (!crossable) {
          expect(waiter).toEqual({ value: RAN_ITSELF });
          expect(stats).toMatchObject({ fallbacks: 1, remoteHits: 0 });
          return;
        }
        const received = thrown ? (waiter as { error: unknown }).error : (waiter as { value: unknown }).value;
        expect(difference(received, value)).toBeUndefined();
        expect(stats).toMatchObject({ misses: 0, fallbacks: 0, invalidPayloads: 0 });
      }),
      { numRuns: 40 },
    );
  });

  test('an errorClasses error keeps its own fields: status 404 arrives as 404', async () => {
    const thrown = Object.assign(new NotFoundError('user 7'), { detail: { id: 7, at: new Date(0) } });
    const { waiter } = await handOver({ error: thrown });
    const received = (waiter as { error: NotFoundError & { detail: unknown } }).error;
    expect(received).toBeInstanceOf(NotFoundError);
    expect(received.status).toBe(404);
    expect(received.detail).toEqual({ id: 7, at: new Date(0) });
    expect(difference(received, thrown)).toBeUndefined();
  });
});

describe('an outcome that cannot be encoded does not poison the flight', () => {
  test('over maxResultBytes: the leader\'s callers get the value, waiters are told at once to run fn', async () => {
    const big = Array.from({ length: 200_000 }, (_, i) => i);
    const started = Date.now();
    const { leader, waiter, stats } = await handOver({ value: big }, { maxResultBytes: 10_000 });
    expect((leader as { value: unknown }).value).toBe(big);
    expect(waiter).toEqual({ value: RAN_ITSELF });
    expect(stats).toMatchObject({ fallbacks: 1 });
    expect(Date.now() - started).toBeLessThan(4000); // the lease (5000 ms) was not waited out
  });

  test('encoding that throws, or is slow: the leader\'s callers already have the value; waiters run fn', async () => {
    let resolvedFirst: boolean | undefined;
    let callerResolved = false;
    const encode = jest.spyOn(valueEncoder, 'encodeValue').mockImplementation(() => {
      resolvedFirst = callerResolved;
      throw new RangeError('Invalid string length');
    });
    try {
      const namespace = freshNamespace();
      const redis = spiedConnection();
      const [a, b] = [coalescer({ namespace }), coalescer({ namespace, redis })];
      const waiting = parked(redis);
      const settle = deferred();
      const value = { id: 7 };
      const leader = a.call('k', async () => (await settle.promise, value)).then((v) => ((callerResolved = true), v));
      await leaseHolder(namespace, 'k');
      const waiter = b.call('k', () => 'ran itself', { timeoutMs: 10_000 });
      await Promise.race([waiting, waiter.catch(() => {})]);
      settle.resolve();
      await expect(leader).resolves.toBe(value);
      await expect(waiter).resolves.toBe('ran itself');
      expect(encode).toHaveBeenCalled();
      expect(resolvedFirst).toBe(true);
      expect(b.getStats()).toMatchObject({ fallbacks: 1, takeovers: 0 });
    } finally {
      encode.mockRestore();
    }
  });
});
