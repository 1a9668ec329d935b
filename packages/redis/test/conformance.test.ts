import type { RedisSharedCall } from '@shared-call/redis';
import { describeCoalescer } from '@shared-call/test-utils';
import { closeAll, coalescer, deferred, freshNamespace, leaseHolder, sleep, spiedConnection, within } from './helpers';

afterAll(closeAll);

describeCoalescer({
  name: 'RedisSharedCall',
  mode: 'async',
  make: () => coalescer({ namespace: freshNamespace() }),
  close: (sc) => (sc as RedisSharedCall).close(),
  reentrant: 'joins',
});

// The case of the contract that only a second process shows: a wait for another process's flight.
test("a process whose every caller stopped waiting for another process's flight counts no error", async () => {
  const namespace = freshNamespace();
  const spied = spiedConnection();
  const [leader, waiter] = [coalescer({ namespace }), coalescer({ namespace, redis: spied })];
  const opened = deferred<string>();
  const led = leader.call('k', () => opened.promise);
  await within(leaseHolder(namespace, 'k'), 10_000);
  const controller = new AbortController();
  const waited = waiter.call('k', () => 'must not run', { signal: controller.signal });
  // Waiting in earnest: subscribed, and asked again (the second ACQUIRE) whether the flight settled meanwhile.
  for (let i = 0; spied.subscribes === 0 || spied.evals.length < 2; i++) {
    if (i > 1000) throw new Error('the waiter never waited for the leader');
    await sleep(10);
  }
  await sleep(50);
  const reason = new Error('stopped waiting');
  controller.abort(reason);
  await expect(within(waited, 10_000)).rejects.toBe(reason);
  opened.resolve('value');
  await expect(within(led, 10_000)).resolves.toBe('value');
  expect(waiter.getStats()).toMatchObject({ misses: 0, errors: 0, active: 0 });
  expect(leader.getStats()).toMatchObject({ misses: 1, errors: 0 });
});
