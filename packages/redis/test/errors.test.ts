import { closeAll, coalescer, freshNamespace, leaseHolder, sleep } from './helpers';

afterEach(closeAll);

class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Throws `thrown` from a leader in one coalescer and returns what a waiter in another one receives. */
async function acrossProcesses(thrown: unknown, errorClasses: (typeof NotFoundError)[] = []) {
  const namespace = freshNamespace();
  const [a, b] = [coalescer({ namespace, errorClasses }), coalescer({ namespace, errorClasses })];
  const leader = a
    .call('fails', async () => {
      await sleep(80);
      throw thrown;
    })
    .catch((error: unknown) => error);
  await leaseHolder(namespace, 'fails');
  const received = await b.call('fails', () => 'executed twice').then(
    () => {
      throw new Error('the waiter did not receive the error');
    },
    (error: unknown) => error,
  );
  expect(await leader).toBe(thrown);
  expect(a.getStats().errors).toBe(1);
  expect(b.getStats()).toMatchObject({ errors: 1, misses: 0 });
  return received;
}

describe('errors cross processes', () => {
  test('class, message, stack, code and cause', async () => {
    const thrown = Object.assign(new TypeError('bad row', { cause: new RangeError('offset 9') }), { code: 'E_ROW' });
    const received = (await acrossProcesses(thrown)) as TypeError & { code: string; cause: RangeError };
    expect(received).toBeInstanceOf(TypeError);
    expect(received.message).toBe('bad row');
    expect(received.stack).toBe(thrown.stack);
    expect(received.code).toBe('E_ROW');
    expect(received.cause).toBeInstanceOf(RangeError);
    expect(received.cause.message).toBe('offset 9');
  });

  test('a custom class keeps its name, and is rebuilt when listed in errorClasses', async () => {
    const plain = (await acrossProcesses(new NotFoundError('user 7'))) as Error;
    expect(plain).toBeInstanceOf(Error);
    expect(plain.name).toBe('NotFoundError');
    const rebuilt = await acrossProcesses(new NotFoundError('user 7'), [NotFoundError]);
    expect(rebuilt).toBeInstanceOf(NotFoundError);
    expect((rebuilt as Error).message).toBe('user 7');
  });

  test('thrown non-errors: plain data as it is, anything else as an Error describing it', async () => {
    expect(await acrossProcesses('just a string')).toBe('just a string');
    expect(await acrossProcesses({ status: 404 })).toEqual({ status: 404 });
    const described = (await acrossProcesses(new Map([[1, 2]]))) as Error;
    expect(described).toBeInstanceOf(Error);
    expect(described.message).toMatch(/cannot be shared.*Map/);
  });
});
