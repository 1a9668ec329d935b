import { AsyncSharedCall } from '@shared-call/core';
import { deferred, within } from './helpers';

test('1,000,000 concurrent waiters on one key all resolve with the one value', async () => {
  const sc = new AsyncSharedCall();
  const gate = deferred<{ answer: number }>();
  let runs = 0;
  const fn = () => {
    runs++;
    return gate.promise;
  };
  const waiters: Promise<{ answer: number }>[] = new Array(1_000_000);
  for (let i = 0; i < waiters.length; i++) waiters[i] = sc.call('hot', fn);
  expect(sc.getStats()).toMatchObject({ hits: 999_999, misses: 1, active: 1 });
  const value = { answer: 42 };
  gate.resolve(value);
  let delivered = 0;
  for (const w of waiters) if ((await w) === value) delivered++;
  expect(delivered).toBe(1_000_000);
  expect(runs).toBe(1);
  expect(sc.getStats().active).toBe(0);
});

test('10,000 distinct keys in flight at once each run once and are all cleaned up', async () => {
  const sc = new AsyncSharedCall();
  const gate = deferred<void>();
  let runs = 0;
  const calls: Promise<string>[] = [];
  for (let round = 0; round < 3; round++) {
    for (let k = 0; k < 10_000; k++) {
      calls.push(
        sc.call(`key-${k}`, async () => {
          runs++;
          await gate.promise;
          return `v${k}`;
        }),
      );
    }
  }
  expect(sc.getStats().active).toBe(10_000);
  gate.resolve();
  const results = await within(Promise.all(calls), 20_000);
  expect(runs).toBe(10_000);
  expect(results[10_000 + 123]).toBe('v123');
  expect(sc.getStats().active).toBe(0);
  for (let k = 0; k < 10_000; k++) expect(sc.forget(`key-${k}`)).toBe(false);
});
