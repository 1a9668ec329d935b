// The waiting process of the "waiter in another process" bench. On `{ flight: key }` it calls `key` (another
// process leads it), reports `{ waiting }` once its second ACQUIRE (sent after SUBSCRIBE) has answered "held"
// — from then on the result can only come by message — and `{ returned }`, the monotonic time at which its call
// returned. On `{ listen: channel }` it subscribes a raw ioredis subscriber, reports `{ ready }`, and
// `{ received }` for the next message, stamped once a promise it resolves would have resumed its awaiter.
// process.hrtime is CLOCK_MONOTONIC: comparable across processes.
import { RedisSharedCall } from '@shared-call/redis';
import { Redis } from 'ioredis';

const { port, namespace } = JSON.parse(process.argv[2]);
const redis = new Redis({ port, host: '127.0.0.1' });
const raw = new Redis({ port, host: '127.0.0.1' });
const sc = new RedisSharedCall({ redis, namespace });
const now = () => Number(process.hrtime.bigint()) / 1000; // µs
let onMessage;
raw.on('message', () => onMessage?.());
// Counts the "held" replies of ACQUIRE ({0, holder, pttl, fence}) that reach the coalescer.
let held = 0;
let onHeld;
const evalsha = redis.evalsha.bind(redis);
redis.evalsha = (...args) =>
  evalsha(...args).then((reply) => {
    if (Array.isArray(reply) && reply[0] === 0) held++, onHeld?.();
    return reply;
  });

await Promise.all([redis.ping(), raw.ping()]);
process.send({ ready: true });
process.on('message', async (message) => {
  if (message.flight !== undefined) {
    held = 0;
    onHeld = () => held === 2 && process.send({ waiting: true });
    const value = await sc.call(message.flight, () => 'executed by the waiter');
    process.send({ returned: now(), value });
  } else if (message.listen !== undefined) {
    await raw.subscribe(message.listen);
    // Stamped where a caller awaiting the message resumes, as the waiter's `returned` is: after the client's
    // event handler and a promise resolution, not inside the handler.
    onMessage = () => {
      onMessage = undefined;
      void Promise.resolve().then(() => {
        process.send({ received: now() });
        raw.unsubscribe(message.listen);
      });
    };
    process.send({ ready: true });
  } else if (message.stop) {
    await sc.close();
    redis.disconnect();
    raw.disconnect();
    process.disconnect();
  }
});
