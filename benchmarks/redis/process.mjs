// One of the processes of the "executions saved" bench. Each round, on "go", it makes CALLERS concurrent calls
// of one key through the strategy it was given, then reports how many times its fn ran.
import { AsyncSharedCall } from '@shared-call/core';
import { RedisSharedCall } from '@shared-call/redis';
import { Redis } from 'ioredis';

const { port, strategy, callers, fnMs } = JSON.parse(process.argv[2]);
const redis = new Redis({ port, host: '127.0.0.1' });
const coalescers = {
  none: { call: (key, fn) => fn() },
  'in-process': new AsyncSharedCall(),
  redis: new RedisSharedCall({ redis, namespace: 'bench-processes' }),
};
const sc = coalescers[strategy];
let executions = 0;
const query = async () => {
  executions++;
  await new Promise((resolve) => setTimeout(resolve, fnMs)); // a database query
  return { rows: 1 };
};

await redis.ping();
process.send('ready');
process.on('message', async (message) => {
  if (message === 'stop') {
    await coalescers.redis.close();
    redis.disconnect();
    process.disconnect();
    return;
  }
  executions = 0;
  await Promise.all(Array.from({ length: callers }, () => sc.call(message, query)));
  process.send(executions);
});
