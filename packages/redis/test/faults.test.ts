import { execFileSync } from 'node:child_process';
import { flightNames } from '../src/names.js';
import { ACQUIRE } from '../src/scripts';
import { Caller, killCallers } from './processes';
import { client, closeAll, coalescer, deferred, freshNamespace, leaseHolder, sleep, spiedConnection, stall, within, withOwnServer } from './helpers';

afterEach(async () => {
  killCallers();
  await closeAll();
});

/** Resolves once the lease of `key` is free, or rejects after `ms`. */
async function leaseFreed(namespace: string, key: string, port: number, ms: number): Promise<void> {
  const redis = client(port);
  const deadline = Date.now() + ms;
  while ((await redis.get(flightNames(namespace, key).lease)) !== null) {
    if (Date.now() > deadline) throw new Error(`the lease of ${key} is still held after ${ms} ms`);
    await sleep(10);
  }
}

describe('an ACQUIRE that did not answer within timeoutMs (issue 9, item 1)', () => {
  test('an event-loop stall right after sending: the reply that already arrived wins over the timeout', async () => {
    const namespace = freshNamespace();
    const redis = client();
    await redis.ping(); // connected: the command is written at once, as on any busy connection
    const spied = spiedConnection(redis);
    let stalls = 0;
    const a = coalescer({ namespace, redis: spied, timeoutMs: 300, leaseMs: 10_000 });
    spied.afterSend = (script) => {
      if (script === ACQUIRE && stalls++ === 0) stall(1500); // the reply arrives while the loop is blocked
    };
    const release = deferred<string>();
    const leading = a.call('stalled', () => release.promise);
    await leaseHolder(namespace, 'stalled');
    const waiting = coalescer({ namespace, leaseMs: 10_000 }).call('stalled', () => 'executed twice');
    await sleep(50);
    release.resolve('once');
    await expect(leading).resolves.toBe('once');
    await expect(within(waiting, 3000)).resolves.toBe('once'); // not after the 10 s lease
    expect(stalls).toBe(1);
    expect(a.getStats()).toMatchObject({ misses: 1, fallbacks: 0 });
  });

  test('Redis paused (CLIENT PAUSE) past timeoutMs while fn outlasts the pause: the late lease is used', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const redis = client(server.port);
      await redis.ping(); // connected (a call could itself time out on a busy machine and skip Redis)
      const a = coalescer({ redis, namespace, timeoutMs: 100, leaseMs: 600 });
      await client(server.port).call('CLIENT', 'PAUSE', '400', 'ALL');
      const release = deferred<string>();
      const leading = a.call('paused', () => release.promise);
      await leaseHolder(namespace, 'paused', server.port); // ACQUIRE ran once the pause ended, after the timeout
      const b = coalescer({ redis: client(server.port), namespace, timeoutMs: 1000, leaseMs: 600 });
      const waiting = b.call('paused', () => 'executed twice');
      await sleep(1000); // longer than leaseMs: the late lease is renewed, not orphaned
      release.resolve('from the fallback');
      await expect(leading).resolves.toBe('from the fallback');
      await expect(within(waiting, 3000)).resolves.toBe('from the fallback');
      expect(a.getStats()).toMatchObject({ misses: 1, fallbacks: 1 });
      expect(b.getStats()).toMatchObject({ misses: 0, remoteHits: 1, takeovers: 0 });
      await leaseFreed(namespace, 'paused', server.port, 1000);
    }));

  test('Redis paused past timeoutMs while fn finishes during the pause: the late lease is released at once', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const redis = client(server.port);
      await redis.ping();
      const a = coalescer({ redis, namespace, timeoutMs: 100, leaseMs: 10_000 });
      await client(server.port).call('CLIENT', 'PAUSE', '400', 'ALL');
      await expect(a.call('paused', () => 'local')).resolves.toBe('local');
      expect(a.getStats()).toMatchObject({ fallbacks: 1 });
      await sleep(400); // the pause ends: ACQUIRE runs, then what the fallback sent after it
      await leaseFreed(namespace, 'paused', server.port, 2000); // not the 10 s lease
      const b = coalescer({ redis: client(server.port), namespace, leaseMs: 10_000 });
      await expect(within(b.call('paused', () => 'no wait'), 2000)).resolves.toBe('no wait');
    }));
});

/** Blocks the event loop until no lease is left in the server on `port` (asked with redis-cli), at most `ms`. */
function blockedUntilSettled(port: number, ms: number): void {
  const deadline = Date.now() + ms;
  const leases = () => execFileSync('redis-cli', ['-p', String(port), 'KEYS', '*:lease'], { encoding: 'utf8' }).trim();
  while (leases() !== '') {
    if (Date.now() > deadline) throw new Error(`leases still held after ${ms} ms`);
    stall(100);
  }
}

describe('large results under Redis\'s default pub/sub output-buffer limit (issue 9, item 3)', () => {
  /** The ids of the connections of `type` (CLIENT LIST). */
  const connections = async (port: number, type: 'pubsub' | 'normal') =>
    [...String(await client(port).call('CLIENT', 'LIST', 'TYPE', type)).matchAll(/\bid=(\d+)/g)].map((m) => m[1]);

  test('sixty ~900 KB results settled together by another process reach a busy waiter, its subscriber kept', () =>
    withOwnServer(async (server) => {
      const namespace = freshNamespace();
      const leaseMs = 60_000; // a waiter that lost its subscriber would poll only after this
      const keys = Array.from({ length: 60 }, (_, i) => `big-${i}`);
      const big = (key: string) => key.padEnd(900_000, '.');
      const leader = new Caller({ port: server.port, namespace, leaseMs, keys, bytes: 900_000 }, 'big-leader.cjs');
      await leader.next('ready', 20_000);
      for (const key of keys) await leaseHolder(namespace, key, server.port);
      const b = coalescer({ redis: client(server.port), namespace, leaseMs });
      const waiting = keys.map((key) => b.call(key, () => 'executed twice'));
      await sleep(300); // every waiter subscribed
      const subscribed = await connections(server.port, 'pubsub');
      expect(subscribed).toHaveLength(1);
      leader.go();
      // This process stays blocked until every flight settled: Redis queues whatever it publishes meanwhile in
      // the subscriber's output buffer.
      blockedUntilSettled(server.port, 30_000);
      await leader.next('done', 30_000);
      const values = await within(Promise.all(waiting), leaseMs / 2); // ~54 MB moved twice: seconds on a busy machine
      expect(values.map((value, i) => value === big(keys[i]!) || String(value).slice(0, 20))).toEqual(keys.map(() => true));
      expect(b.getStats()).toMatchObject({ misses: 0, remoteHits: 60, fallbacks: 0 });
      // The same connection, never dropped (back to a normal connection once it has no channel left).
      expect(await connections(server.port, 'normal')).toContain(subscribed[0]);
    }), 60_000);
});

describe('a lease planted by another client (issue 9, item 4)', () => {
  test.each([
    ['PX 3000000000 (beyond setTimeout\'s range)', 3_000_000_000],
    ['PX 60000 (longer than the waiter\'s leaseMs)', 60_000],
  ])('%s: the waiter takes over within leaseMs + timeoutMs, without spinning', async (_, px) => {
    const namespace = freshNamespace();
    await client().set(flightNames(namespace, 'planted').lease, 'planted', 'PX', px);
    const spied = spiedConnection();
    const leaseMs = 300;
    const timeoutMs = 500;
    const waiter = coalescer({ namespace, redis: spied, leaseMs, timeoutMs });
    const started = Date.now();
    await expect(within(waiter.call('planted', () => 'own'), 5000)).resolves.toBe('own');
    expect(Date.now() - started).toBeLessThan(leaseMs + timeoutMs + 500); // the documented bound, plus scheduling
    expect(spied.evals.length).toBeLessThanOrEqual(5); // ACQUIRE, ACQUIRE, one more after leaseMs, SETTLE
    expect(waiter.getStats()).toMatchObject({ misses: 1, takeovers: 1 });
    await leaseFreed(namespace, 'planted', Number(process.env.SHARED_CALL_REDIS_PORT), 1000);
  });

  test('a live leader renewing its lease is never taken over, however long fn runs', async () => {
    const namespace = freshNamespace();
    const leaseMs = 200;
    const [a, b] = [coalescer({ namespace, leaseMs }), coalescer({ namespace, leaseMs })];
    let executions = 0;
    const fn = async () => (++executions, await sleep(1500), executions);
    const leading = a.call('live', fn);
    await leaseHolder(namespace, 'live');
    await expect(b.call('live', fn)).resolves.toBe(1);
    await expect(leading).resolves.toBe(1);
    expect(b.getStats()).toMatchObject({ takeovers: 0, remoteHits: 1 });
  });
});
