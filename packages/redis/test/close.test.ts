import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { join } from 'node:path';
import { flightNames } from '../src/names.js';
import { client, closeAll, freshNamespace, redisPort, sleep } from './helpers';

afterEach(closeAll);

/**
 * A TCP proxy to the run's redis-server that forwards the first `forwarded` connections and holds every later
 * one open without an answer: a connection that never finishes its handshake.
 */
async function proxy(forwarded: number) {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket)).on('error', () => {});
    if (++accepted > forwarded) return void socket.resume(); // held: read and never answered
    const upstream = net.connect(redisPort(), '127.0.0.1');
    upstream.on('error', () => socket.destroy()).on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Client connections open now. */
    open: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

interface Closed {
  type: 'closed';
  closeMs: number;
  value: string;
  stats: { fallbacks: number };
}

/** Forks fixtures/close-exit.cjs; resolves with its report, the connections open after close(), and how long it took to exit once its client was
 * closed. */
async function closeInChild(task: object, proxyOpen: () => number) {
  const child: ChildProcess = fork(join(__dirname, 'fixtures', 'close-exit.cjs'), [], { execArgv: [], stdio: 'inherit' });
  const exited = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000); // no test may hang: a child that stays is killed
  try {
    child.send(task);
    const [closed] = (await Promise.race([once(child, 'message'), exited])) as [Closed | number];
    if (typeof closed !== 'object') throw new Error(`the child exited (${closed}) before reporting`);
    for (let i = 0; i < 100 && proxyOpen() > 1; i++) await sleep(10); // the proxy sees a FIN a moment later
    const openAfterClose = proxyOpen();
    child.send('exit');
    const exitAskedAt = Date.now();
    const [code, signal] = await exited;
    return { closed, openAfterClose, exitMs: Date.now() - exitAskedAt, code, signal };
  } finally {
    clearTimeout(timer);
  }
}

describe.each(['ioredis', 'node-redis'])('close() with %s, in a child process that must then exit by itself', (kind) => {
  /** A lease held by "another process" (this test) for a minute: the child's call waits for it. */
  async function heldKey() {
    const namespace = freshNamespace();
    await client().set(flightNames(namespace, 'k').lease, 'someone-else', 'PX', 60_000);
    return { namespace, key: 'k', leaseMs: 60_000, timeoutMs: 300 };
  }

  test('the subscriber never finishes its handshake: close() resolves, nothing stays open', async () => {
    const redis = await proxy(1); // the child's client gets through; its subscriber hangs in the handshake
    try {
      const task = { kind, port: redis.port, closeDuringCall: false, ...(await heldKey()) };
      const result = await closeInChild(task, redis.open);
      expect(result.closed).toMatchObject({ value: 'local', stats: { fallbacks: 1 } });
      expect(result.closed.closeMs).toBeLessThan(1000);
      expect(result.openAfterClose).toBe(1); // its own client only: the subscriber is closed
      expect(result).toMatchObject({ code: 0, signal: null });
      expect(result.exitMs).toBeLessThan(5000);
    } finally {
      redis.close();
    }
  });

  test('close() during a call: no subscriber is opened after it, the call runs locally', async () => {
    const redis = await proxy(Infinity);
    try {
      const task = { kind, port: redis.port, closeDuringCall: true, ...(await heldKey()) };
      const result = await closeInChild(task, redis.open);
      expect(result.closed).toMatchObject({ value: 'local', stats: { fallbacks: 1 } });
      expect(result.openAfterClose).toBe(1);
      expect(result).toMatchObject({ code: 0, signal: null });
      expect(result.exitMs).toBeLessThan(5000);
    } finally {
      redis.close();
    }
  });
});

