import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisSharedCall } from '@shared-call/redis';
import { flightNames } from '../src/names.js';
import { startRedisServer } from '../../../scripts/redis-server.cjs';
import { RENEW } from '../src/scripts';
import { client, closeAll, coalescer, deferred, freshNamespace, leaseHolder, reconnected, sleep, spiedConnection, within } from './helpers';

afterEach(closeAll);

/** A coalescer whose renewals never reach Redis (they report success): a leader frozen past its lease. */
function frozenLeader(namespace: string, leaseMs: number): RedisSharedCall {
  const spied = spiedConnection();
  const evalInRedis = spied.eval;
  spied.eval = (script, keys, args) => (script === RENEW ? Promise.resolve([1, 1]) : evalInRedis(script, keys, args));
  return coalescer({ namespace, redis: spied, leaseMs, resultTtlMs: 10_000 });
}

describe('fencing tokens (issue 14)', () => {
  test('fn receives a positive safe integer; every caller of the flight, here or elsewhere, is told the same', async () => {
    const namespace = freshNamespace();
    const [a, b] = [coalescer({ namespace }), coalescer({ namespace })];
    const seen: unknown[] = [];
    const release = deferred();
    const fn = async (_: AbortSignal, { fencingToken }: { fencingToken: number | undefined }) => {
      seen.push(fencingToken);
      await release.promise;
      return 'v';
    };
    const leading = [a.callWithInfo('k', fn), a.callWithInfo('k', fn)];
    await leaseHolder(namespace, 'k');
    const waiting = b.callWithInfo('k', fn);
    await sleep(50);
    release.resolve();
    const infos = await Promise.all([...leading, waiting]);
    expect(seen).toHaveLength(1);
    expect(Number.isSafeInteger(seen[0]) && (seen[0] as number) > 0).toBe(true);
    expect(infos.map((info) => info.fencingToken)).toEqual([seen[0], seen[0], seen[0]]);
    expect(await a.call('plain', (signal) => signal.aborted)).toBe(false); // one-parameter fns still fit
  });

  test('tokens strictly increase per key: successive flights, forget, data loss, a restart that kept the data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fence-'));
    const persistence = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'];
    let server = await startRedisServer({ args: persistence });
    const namespace = freshNamespace();
    const tokens: number[] = [];
    const fn = (_: AbortSignal, { fencingToken }: { fencingToken: number | undefined }) => tokens.push(fencingToken!);
    try {
      const [ra, rb] = [client(server.port), client(server.port)];
      const [a, b] = [coalescer({ redis: ra, namespace }), coalescer({ redis: rb, namespace })];
      // The leader sends SETTLE once its callers have the value; a call in the other process waits for it to land,
      // or it may still join the flight that just ended (see docs/redis.md, "What crosses").
      const settled = () => within(waitUntilFree(ra, flightNames(namespace, 'k').lease), 5000);
      for (let i = 0; i < 10; i++) {
        await (i % 2 ? a : b).call('k', fn);
        await settled();
      }
      const slow = a.call('k', async (signal, flight) => (fn(signal, flight), await sleep(200)));
      await leaseHolder(namespace, 'k', server.port);
      b.forget('k');
      await b.call('k', fn); // takes the lease over while the slow flight runs
      await slow;
      await settled();
      await client(server.port).flushall(); // data lost: tokens continue from Redis's clock
      await a.call('k', fn);
      await settled();
      await server.stop();
      server = await startRedisServer({ port: server.port, args: persistence }); // the append-only file is replayed
      await reconnected(ra, rb);
      await sleep(1100); // past the timeoutMs for which the failures made each coalescer skip Redis
      await b.call('k', fn);
      await settled();
      await a.call('k', fn);
    } finally {
      await server.stop();
    }
    expect(tokens.length).toBeGreaterThanOrEqual(14);
    expect(tokens.every((token, i) => Number.isSafeInteger(token) && (i === 0 || token > tokens[i - 1]!))).toBe(true);
  });

  test('a leader frozen past its lease: the waiter takes over with a larger token, the late result is refused', async () => {
    const namespace = freshNamespace();
    const leaseMs = 200;
    const frozen = frozenLeader(namespace, leaseMs);
    const late = deferred();
    const stale = frozen.callWithInfo('k', async () => (await late.promise, 'stale'));
    const frozenToken = await leaseHolder(namespace, 'k');
    const published: string[] = [];
    const listener = client();
    await listener.subscribe(flightNames(namespace, 'k').channel);
    listener.on('message', (_, message: string) => published.push(message));
    const waiter = coalescer({ namespace, leaseMs });
    const current = deferred();
    const taking = waiter.callWithInfo('k', async () => (await current.promise, 'current'));
    await sleep(leaseMs * 3); // the lease lapsed and the waiter took it over
    expect(waiter.getStats()).toMatchObject({ takeovers: 1 });
    const joining = coalescer({ namespace, leaseMs }).callWithInfo('k', () => 'executed thrice');
    await sleep(50);
    late.resolve(); // the frozen leader resumes and finishes first
    const staleInfo = await stale;
    expect(staleInfo.value).toBe('stale'); // its own callers still get its value
    await sleep(100);
    expect(frozen.getStats()).toMatchObject({ staleResults: 1 });
    // Whoever still waited for the frozen leader is told to ask again, never given its value.
    expect(published.filter((message) => message.startsWith(frozenToken))).toEqual([frozenToken + '\n{"t":"retry"}']);
    current.resolve();
    const [currentInfo, joined] = await Promise.all([taking, joining]);
    expect(currentInfo.value).toBe('current');
    expect(joined).toMatchObject({ value: 'current', fencingToken: currentInfo.fencingToken }); // nobody else got 'stale'
    expect(currentInfo.fencingToken).toBeGreaterThan(staleInfo.fencingToken!);
    expect(await client().get(flightNames(namespace, 'k').result)).toMatch(/\n.*current/);
  });

  test('a waiter whose leader was taken over and settled meanwhile gets that later result: no second execution', async () => {
    const namespace = freshNamespace();
    const leaseMs = 300;
    const gate = deferred();
    const frozen = frozenLeader(namespace, leaseMs).call('k', async () => (await gate.promise, 'stale'));
    await leaseHolder(namespace, 'k');
    const waiter = coalescer({ namespace, leaseMs });
    const waiting = waiter.callWithInfo('k', () => 'executed again');
    await sleep(50);
    const successor = coalescer({ namespace, leaseMs });
    successor.forget('k'); // takes the lease over at once, settles before the waiter looks again
    const taken = await successor.callWithInfo('k', () => 'successor');
    await expect(within(waiting, 3000)).resolves.toMatchObject({ value: 'successor', fencingToken: taken.fencingToken });
    expect(waiter.getStats()).toMatchObject({ misses: 0, remoteHits: 1 });
    gate.resolve();
    await expect(frozen).resolves.toBe('stale');
  });

  test('a leader whose lease lapsed while nobody took it over still delivers its result', async () => {
    const namespace = freshNamespace();
    const frozen = frozenLeader(namespace, 100);
    // Past the lease (100 ms), within the fence key's life (twice the lease).
    await expect(frozen.call('k', async () => (await sleep(150), 'late but current'))).resolves.toBe('late but current');
    await sleep(100);
    expect(frozen.getStats()).toMatchObject({ staleResults: 0 });
    expect(await client().get(flightNames(namespace, 'k').result)).toMatch(/late but current/);
  });

  test('a fallback (Redis unavailable) runs fn without a token', async () => {
    const server = await startRedisServer();
    const sc = coalescer({ redis: client(server.port), namespace: freshNamespace(), timeoutMs: 100 });
    await server.stop();
    const info = await sc.callWithInfo('k', (_, { fencingToken }) => fencingToken);
    expect(info).toMatchObject({ value: undefined, fencingToken: undefined });
    expect(sc.getStats().fallbacks).toBe(1);
  });
});

describe('cluster-wide cancellation (issue 14)', () => {
  const leaseMs = 300;

  /** A leader whose fn waits for its signal; reports when (and why) it was aborted. */
  function abortable(sc: RedisSharedCall, key: string, signal: AbortSignal) {
    const aborted = deferred<number>();
    const value = deferred<string>();
    const call = sc.call(
      key,
      (fnSignal) => {
        fnSignal.addEventListener('abort', () => aborted.resolve(Date.now()));
        return value.promise;
      },
      { signal },
    );
    call.catch(() => {}); // awaited by the test once its callers have left
    return { call, aborted: aborted.promise, finish: value.resolve };
  }

  test('the leader\'s callers all leave while a waiter elsewhere remains: fn goes on and the waiter gets its value', async () => {
    const namespace = freshNamespace();
    const leaving = new AbortController();
    const leader = abortable(coalescer({ namespace, leaseMs }), 'k', leaving.signal);
    await leaseHolder(namespace, 'k');
    const waiter = coalescer({ namespace, leaseMs });
    const waiting = waiter.call('k', () => 'executed twice');
    await sleep(50);
    leaving.abort(new Error('left'));
    await expect(leader.call).rejects.toThrow('left');
    let abortedAt: number | undefined;
    void leader.aborted.then((at) => (abortedAt = at));
    await sleep(leaseMs * 2); // several renewals: the waiter is still counted
    expect(abortedAt).toBeUndefined();
    leader.finish('value');
    await expect(waiting).resolves.toBe('value');
    expect(waiter.getStats()).toMatchObject({ misses: 0, remoteHits: 1 });
  });

  test.each([
    ['the waiter elsewhere leaves last', true],
    ['the leader\'s own caller leaves last', false],
  ])('every caller everywhere leaves (%s): fn is aborted within leaseMs + a renewal interval', async (_, waiterLast) => {
    const namespace = freshNamespace();
    const [leaderLeaves, waiterLeaves] = [new AbortController(), new AbortController()];
    const leader = abortable(coalescer({ namespace, leaseMs }), 'k', leaderLeaves.signal);
    await leaseHolder(namespace, 'k');
    const waiting = coalescer({ namespace, leaseMs }).call('k', () => 'x', { signal: waiterLeaves.signal });
    waiting.catch(() => {}); // awaited below
    await sleep(50);
    const [first, last] = waiterLast ? [leaderLeaves, waiterLeaves] : [waiterLeaves, leaderLeaves];
    first.abort(new Error('left'));
    await sleep(leaseMs); // one caller remains: nothing is aborted
    let abortedAt: number | undefined;
    void leader.aborted.then((at) => (abortedAt = at));
    expect(abortedAt).toBeUndefined();
    const leftAt = Date.now();
    last.abort(new Error('left'));
    await expect(within(leader.aborted, leaseMs + leaseMs / 3 + 1000)).resolves.toBeGreaterThanOrEqual(leftAt);
    expect(abortedAt! - leftAt).toBeLessThan(leaseMs + leaseMs / 3 + 500); // the bound, plus scheduling
    await expect(leader.call).rejects.toThrow('left');
    await expect(waiting).rejects.toThrow('left');
  });

  test('a waiting process that died counts until its heartbeat lapses, then fn is aborted', async () => {
    const namespace = freshNamespace();
    const leaving = new AbortController();
    const leader = abortable(coalescer({ namespace, leaseMs }), 'k', leaving.signal);
    await leaseHolder(namespace, 'k');
    const [seconds, micros] = (await client().time()).map(Number) as [number, number];
    const lapsesAt = seconds * 1000 + Math.floor(micros / 1000) + 2 * leaseMs;
    await client().zadd(flightNames(namespace, 'k').waiters, lapsesAt, 'a process that died');
    const leftAt = Date.now();
    leaving.abort(new Error('left'));
    const abortedAt = await within(leader.aborted, 5 * leaseMs);
    expect(abortedAt - leftAt).toBeGreaterThanOrEqual(2 * leaseMs - 100); // not while it still counted
    expect(abortedAt - leftAt).toBeLessThan(2 * leaseMs + leaseMs / 3 + 500);
  });
});

/** Resolves once no lease is held on `lease` (polled: the previous flight's SETTLE has landed). */
async function waitUntilFree(redis: { exists(key: string): Promise<number> }, lease: string): Promise<void> {
  while ((await redis.exists(lease)) === 1) await sleep(2);
}
