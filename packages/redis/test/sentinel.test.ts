import { Redis } from 'ioredis';
import { RedisSharedCall } from '@shared-call/redis';
import { flightNames } from '../src/names.js';
import { startRedisSentinel, type RedisSentinel } from '../../../scripts/redis-sentinel.cjs';
import { closeAll, client, deferred, freshNamespace, sleep } from './helpers';

// A master, a replica and a Sentinel for this file only (about two seconds to start).
let setup: RedisSentinel;
beforeAll(async () => {
  setup = await startRedisSentinel();
}, 60_000);
afterAll(() => setup?.stop());

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await closeAll();
});

/** A coalescer on its own ioredis client in Sentinel mode, as another process would have. */
function coalescer(namespace: string): RedisSharedCall {
  const redis = new Redis({ sentinels: [setup.sentinel], name: setup.name, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  const sc = new RedisSharedCall({ redis, namespace, leaseMs: 5000 });
  cleanups.push(() => redis.disconnect(), () => sc.close());
  return sc;
}

/** Polls `check` every 20 ms until it is true; throws after `ms`. */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await sleep(20);
  }
}

test('ioredis in Sentinel mode: the master dies while a flight is waited on: delivered once, through the promoted replica', async () => {
  const namespace = freshNamespace();
  const [a, b] = [coalescer(namespace), coalescer(namespace)];
  const gate = deferred();
  let executions = 0;
  const fn = async () => (++executions, await gate.promise, 'value');
  const leading = a.call('k', fn);
  const byPort = new Map<number, Redis>();
  const on = (port: number) => byPort.get(port) ?? byPort.set(port, client(port)).get(port)!;
  const master = async () => on(await setup.master());
  const { lease, channel } = flightNames(namespace, 'k');
  await until(async () => (await (await master()).get(lease)) !== null, 5000, 'no lease');
  const waiting = b.call('k', fn);
  const subscribed = async () => ((await (await master()).pubsub('NUMSUB', channel)) as [string, number])[1] === 1;
  await until(subscribed, 5000, 'the waiter did not subscribe');
  const replica = (await (await master()).role())[2] as [string, string, string][];
  await until(async () => (await on(Number(replica[0]![1])).get(lease)) !== null, 5000, 'lease not replicated');
  await setup.failover();
  // The lease was replicated; the waiter's subscription must follow the new master.
  await until(async () => (await (await master()).get(lease)) !== null && (await subscribed()), 10_000, 'not re-established on the new master');
  await sleep(200); // the leader's client reconnects too (its SETTLE would otherwise fall back)
  gate.resolve();
  await expect(leading).resolves.toBe('value');
  await expect(waiting).resolves.toBe('value');
  expect(executions).toBe(1);
  expect(b.getStats()).toMatchObject({ remoteHits: 1, fallbacks: 0 });
}, 30_000);
