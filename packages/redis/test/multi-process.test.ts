import { startRedisServer } from '../../../scripts/redis-server.cjs';
import { closeAll, freshNamespace, redisPort, sleep } from './helpers';
import { Caller, killCallers, type CallerReport, type CallerTask } from './processes';

afterEach(async () => {
  killCallers();
  await closeAll();
});

/** Starts `count` caller processes and resolves once all are connected. */
async function callers(count: number, task: CallerTask): Promise<Caller[]> {
  const started = Array.from({ length: count }, () => new Caller(task));
  await Promise.all(started.map((caller) => caller.next('ready', 20_000)));
  return started;
}

const total = (reports: CallerReport[], pick: (r: CallerReport) => number) =>
  reports.reduce((sum, report) => sum + pick(report), 0);

describe('across real processes', () => {
  test('8 processes × 100 concurrent calls on one key: 1 execution, every caller gets its value', async () => {
    const task = { port: redisPort(), namespace: freshNamespace(), key: 'hot', calls: 100, fnMs: 1000, leaseMs: 2000, timeoutMs: 1000 };
    const group = await callers(8, task);
    group.forEach((caller) => caller.go());
    const reports = await Promise.all(group.map((caller) => caller.next<CallerReport>('done', 20_000)));
    expect(total(reports, (r) => r.executions)).toBe(1);
    const leaders = new Set(reports.flatMap((r) => r.by));
    expect(leaders.size).toBe(1);
    expect(total(reports, (r) => r.stats.hits)).toBe(799);
    expect(total(reports, (r) => r.stats.remoteHits)).toBe(7);
  }, 60_000);

  test('the leader is killed with SIGKILL: exactly one waiter takes over, within leaseMs + timeoutMs', async () => {
    const task = { port: redisPort(), namespace: freshNamespace(), key: 'crash', calls: 10, fnMs: 100, leaseMs: 1000, timeoutMs: 500 };
    const [leader] = await callers(1, { ...task, hang: true });
    leader!.go();
    await leader!.next('executing', 10_000);
    const waiters = await callers(4, task);
    waiters.forEach((caller) => caller.go());
    await sleep(300); // the waiters have subscribed and are waiting for the leader
    leader!.child.kill('SIGKILL');
    const killedAt = Date.now();
    const reports = await Promise.all(waiters.map((caller) => caller.next<CallerReport>('done', 20_000)));
    expect(Date.now() - killedAt).toBeLessThan(task.leaseMs + task.timeoutMs + task.fnMs);
    expect(total(reports, (r) => r.executions)).toBe(1);
    expect(total(reports, (r) => r.stats.takeovers)).toBe(1);
    const takeover = reports.find((r) => r.executions === 1)!;
    expect(reports.every((r) => r.by.length === 1 && r.by[0] === takeover.by[0])).toBe(true);
  }, 60_000);

  test('Redis is stopped mid-flight: every process still gets a value, waiters by running fn locally', async () => {
    const server = await startRedisServer();
    try {
      const task = { port: server.port, namespace: freshNamespace(), key: 'outage', calls: 20, fnMs: 2500, leaseMs: 600, timeoutMs: 300 };
      const [leader, ...waiters] = await callers(4, task); // all started first: start-up can outlast fn on a busy machine
      leader!.go();
      await leader!.next('executing', 10_000);
      waiters.forEach((caller) => caller.go());
      await sleep(300);
      await server.stop();
      const reports = await Promise.all([leader!, ...waiters].map((c) => c.next<CallerReport>('done', 20_000)));
      expect(reports[0]!.by).toEqual([leader!.child.pid]); // the leader's own callers got its result
      for (const report of reports.slice(1)) {
        expect(report).toMatchObject({ executions: 1, stats: { fallbacks: 1 } });
        expect(report.by).toEqual([waiters[reports.indexOf(report) - 1]!.child.pid]);
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
