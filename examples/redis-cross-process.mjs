// expect: 4 processes × 25 callers, 1 execution
// Four Node processes (think: four replicas of a service) each get 25 concurrent requests for the same report.
// Coalesced on Redis, the slow query runs once in total, not once per process. The example starts a throwaway
// redis-server (installing it with apt-get if absent) and stops it at the end.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { RedisSharedCall } from '@shared-call/redis';
import { Redis } from 'ioredis';

const PROCESSES = 4;
const CALLERS = 25;

if (process.argv[2] === 'replica') {
  // One replica: 25 concurrent requests for report 42 once the parent says "go".
  const redis = new Redis({ port: Number(process.argv[3]), host: '127.0.0.1' });
  const sc = new RedisSharedCall({ redis, namespace: 'example' });
  let executions = 0;
  const loadReport = sc.group()(async function loadReport(id) {
    executions++;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the slow query
    return { id, total: 1234 };
  });
  await redis.ping();
  process.send('ready');
  await new Promise((resolve) => process.once('message', resolve));
  const reports = await Promise.all(Array.from({ length: CALLERS }, () => loadReport(42)));
  process.send({ executions, ok: reports.every((r) => r.total === 1234), stats: sc.getStats() });
  await sc.close();
  redis.disconnect();
  process.disconnect();
} else {
  const { startRedisServer } = createRequire(import.meta.url)('../scripts/redis-server.cjs');
  const server = await startRedisServer();
  try {
    const replicas = Array.from({ length: PROCESSES }, () =>
      fork(fileURLToPath(import.meta.url), ['replica', String(server.port)]),
    );
    const next = (child) => new Promise((resolve) => child.once('message', resolve));
    await Promise.all(replicas.map(next));
    const results = replicas.map(next);
    for (const child of replicas) child.send('go');
    const reports = await Promise.all(results);
    const executions = reports.reduce((sum, r) => sum + r.executions, 0);
    console.log(`${PROCESSES} processes × ${CALLERS} callers, ${executions} execution, all ok: ${reports.every((r) => r.ok)}`);
    console.log('stats of each process:', reports.map(({ stats }) => ({ hits: stats.hits, misses: stats.misses })));
  } finally {
    await server.stop();
  }
}
