import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisSharedCall } from '@shared-call/redis';
import { flightNames } from '../../redis/src/names.js';
import { setupSdk } from './sdk.js';

/** Two coalescers on their own clients stand for two processes: they share nothing but Redis. */
function processes(namespace: string) {
  const port = Number(process.env.SHARED_CALL_REDIS_PORT);
  const clients = [0, 1].map(() => new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 }));
  const [a, b] = clients.map((redis) => new RedisSharedCall({ redis, namespace }));
  return {
    a: a!,
    b: b!,
    redis: clients[0]!,
    async close() {
      await Promise.all([a!.close(), b!.close()]);
      clients.forEach((c) => c.disconnect());
    },
  };
}

async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('SharedCallInstrumentation across processes (redis)', () => {
  let sdk: ReturnType<typeof setupSdk>;
  afterEach(() => sdk.shutdown());

  test("a waiting process's wait span links to the leader process's flight span, through Redis", async () => {
    sdk = setupSdk();
    const namespace = `otel-${process.pid}-${Date.now()}`;
    const { a, b, redis, close } = processes(namespace);
    try {
      let release!: (v: string) => void;
      const gate = new Promise<string>((r) => (release = r));
      let executions = 0;
      const fn = () => (executions++, gate);
      const leader = sdk.tracer.startActiveSpan('request in A', (s) => a.call('report', fn).finally(() => s.end()));
      await until(async () => (await redis.get(flightNames(namespace, 'report').trace)) !== null, 'the trace key');
      const follower = sdk.tracer.startActiveSpan('request in B', (s) => b.call('report', fn).finally(() => s.end()));
      await until(() => sdk.sum('shared_call.joins').then((n) => n === 1), "B's join");
      release('done');
      expect(await Promise.all([leader, follower])).toEqual(['done', 'done']);
      expect(executions).toBe(1);
      const spans = sdk.spans.getFinishedSpans();
      const flights = spans.filter((s) => s.name === 'shared-call flight');
      const waits = spans.filter((s) => s.name === 'shared-call wait');
      expect(flights).toHaveLength(1);
      expect(waits).toHaveLength(1);
      const flight = flights[0]!;
      expect(flight.attributes).toMatchObject({ 'shared_call.scope': 'redis' });
      expect(typeof flight.attributes['shared_call.lease.token']).toBe('string');
      const [link] = waits[0]!.links;
      expect(link?.context).toMatchObject({ traceId: flight.spanContext().traceId, spanId: flight.spanContext().spanId, isRemote: true });
      const requestB = spans.find((s) => s.name === 'request in B')!;
      expect(waits[0]!.parentSpanContext?.spanId).toBe(requestB.spanContext().spanId);
      expect(waits[0]!.spanContext().traceId).not.toBe(flight.spanContext().traceId);
    } finally {
      await close();
    }
  });

  test('the same with a real leader process: the wait span links into the trace of another process', async () => {
    sdk = setupSdk();
    const namespace = `otel-${process.pid}-${Date.now()}-child`;
    const { b, redis, close } = processes(namespace);
    const child = fork(join(__dirname, 'fixtures', 'leader.cjs'), [], { execArgv: [], stdio: 'inherit' });
    const messages: { type: string; traceId?: string; spanId?: string }[] = [];
    child.on('message', (m: (typeof messages)[number]) => messages.push(m));
    try {
      child.send({ port: Number(process.env.SHARED_CALL_REDIS_PORT), namespace, key: 'report' });
      await until(() => messages.some((m) => m.type === 'executing'), 'the leader process to execute');
      await until(async () => (await redis.get(flightNames(namespace, 'report').trace)) !== null, 'the trace key');
      const follower = b.call('report', () => 'not me');
      await until(() => sdk.sum('shared_call.joins').then((n) => n === 1), 'the join of this process');
      child.send('release');
      expect(await follower).toBe('from the leader process');
      await until(() => messages.some((m) => m.type === 'done'), 'the leader process to report');
      const leader = messages.find((m) => m.type === 'done')!;
      const [wait] = sdk.spans.getFinishedSpans().filter((s) => s.name === 'shared-call wait');
      expect(wait!.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([[leader.traceId, leader.spanId]]);
      expect(sdk.spans.getFinishedSpans().filter((s) => s.name === 'shared-call flight')).toHaveLength(0);
    } finally {
      child.kill();
      await close();
    }
  }, 30_000);
});
