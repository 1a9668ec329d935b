import { expectFaithfulCopy } from '@shared-call/test-utils';
import { closeAll, coalescer, freshNamespace, leaseHolder, sleep } from './helpers';

afterEach(closeAll);

class NotFoundError extends Error {
  override name = 'NotFoundError';
  status = 404;
}

/**
 * Throws `thrown` from a leader in one coalescer and returns what a waiter in another one receives; with
 * `ranItself`, expects the waiter to run its own fn instead, which returns `ranItself`.
 */
async function acrossProcesses(thrown: unknown, errorClasses: (typeof NotFoundError)[] = [], ranItself?: string) {
  const namespace = freshNamespace();
  const [a, b] = [coalescer({ namespace, errorClasses }), coalescer({ namespace, errorClasses })];
  const leader = a
    .call('fails', async () => {
      await sleep(80);
      throw thrown;
    })
    .catch((error: unknown) => error);
  await leaseHolder(namespace, 'fails');
  const received = await b.call('fails', () => ranItself ?? 'executed twice').then(
    (value) => {
      if (value === ranItself) return value;
      throw new Error('the waiter did not receive the error');
    },
    (error: unknown) => error,
  );
  expect(await leader).toBe(thrown);
  if (ranItself !== undefined) {
    expect(b.getStats()).toMatchObject({ fallbacks: 1, misses: 1 });
    return received;
  }
  expect(a.getStats().errors).toBe(1);
  expect(b.getStats()).toMatchObject({ errors: 1, misses: 0 });
  return received;
}

describe('errors cross processes', () => {
  test('class, message, stack, code and cause', async () => {
    const thrown = Object.assign(new TypeError('bad row', { cause: new RangeError('offset 9') }), { code: 'E_ROW' });
    expectFaithfulCopy(await acrossProcesses(thrown), thrown);
  });

  test('a class listed in errorClasses is rebuilt with its own fields; an unlisted one is not shared', async () => {
    const rebuilt = (await acrossProcesses(new NotFoundError('user 7'), [NotFoundError])) as NotFoundError;
    expect(rebuilt).toBeInstanceOf(NotFoundError);
    expect([rebuilt.name, rebuilt.message, rebuilt.status]).toEqual(['NotFoundError', 'user 7', 404]);
    // Unlisted, it could only arrive as an Error named NotFoundError: the waiter runs fn itself instead.
    await expect(acrossProcesses(new NotFoundError('user 7'), [], 'ran itself')).resolves.toBe('ran itself');
  });

  test('thrown non-errors cross exactly, or the waiter runs fn itself', async () => {
    expect(await acrossProcesses('just a string')).toBe('just a string');
    expect(await acrossProcesses({ status: 404, gone: undefined })).toStrictEqual({ status: 404, gone: undefined });
    expect(await acrossProcesses(new Map([[1, new Set([2n])]]))).toEqual(new Map([[1, new Set([2n])]]));
    await expect(acrossProcesses(new (class Point {})(), [], 'ran itself')).resolves.toBe('ran itself');
  });
});
