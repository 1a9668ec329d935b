// Benchmarks of @shared-call/redis against a redis-server of its own (installed with apt-get if absent, on
// 127.0.0.1, no persistence): coalesced call latency against a bare GET round trip, a waiter in another
// process against a raw PUBLISH → message hop, and executions saved with 8 processes. Writes results/redis.md (see lib/report.mjs).
// Run through `pnpm bench` (or `node benchmarks/redis.bench.mjs`) after `pnpm build`.
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { progress, writeSections } from './lib/report.mjs';
import { latencySection } from './redis/latency.mjs';
import { processesSection } from './redis/processes.mjs';
import { waiterSection } from './redis/waiter.mjs';

const { startRedisServer } = createRequire(import.meta.url)('../scripts/redis-server.cjs');
const server = await startRedisServer();
const redis = new Redis({ port: server.port, host: '127.0.0.1' });
try {
  progress('latency vs GET');
  const latency = await latencySection(redis);
  progress('a waiter in another process vs a raw PUBLISH hop');
  const waiter = await waiterSection(redis, server.port);
  progress('executions saved with 8 processes');
  const processes = await processesSection(server.port);
  writeSections('redis', '## @shared-call/redis', [latency, waiter, processes]);
} finally {
  redis.disconnect();
  await server.stop();
}
