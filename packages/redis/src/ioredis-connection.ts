import type { RedisConnection, RedisSubscriber } from './connection.js';

type Method = (...args: any[]) => any;

/** The subset of an ioredis client (`Redis` or `Cluster`) used here. */
export interface IoRedisLike {
  readonly status: string;
  readonly isCluster?: boolean;
  eval: Method;
  evalsha: Method;
  script: Method;
  /** Cluster only: the node connections with `role`. */
  nodes?(role: 'master'): IoRedisLike[];
  once(event: string, listener: Method): unknown;
  duplicate(...args: any[]): IoRedisLike;
  on(event: string, listener: Method): unknown;
  subscribe: Method;
  unsubscribe: Method;
  ssubscribe: Method;
  sunsubscribe: Method;
  disconnect(): void;
}

/** The pub/sub commands and message event of a mode: classic, or sharded on Cluster. */
interface PubSub {
  readonly subscribe: 'subscribe' | 'ssubscribe';
  readonly unsubscribe: 'unsubscribe' | 'sunsubscribe';
  readonly message: 'message' | 'smessage';
}

const CLASSIC: PubSub = { subscribe: 'subscribe', unsubscribe: 'unsubscribe', message: 'message' };
const SHARDED: PubSub = { subscribe: 'ssubscribe', unsubscribe: 'sunsubscribe', message: 'smessage' };

/**
 * Adapts an ioredis `Redis` (standalone or Sentinel) or `Cluster`. On Cluster the subscriber is a duplicate with
 * `shardedSubscribers` (one subscriber per shard, ioredis 5.8 and later) using SSUBSCRIBE.
 */
export function fromIoRedis(client: IoRedisLike): RedisConnection {
  const sharded = client.isCluster === true;
  return {
    sharded,
    eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
    evalsha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
    async loadScripts(scripts) {
      const nodes = sharded ? await masters(client) : [client];
      await Promise.all(nodes.flatMap((node) => scripts.map((script) => node.script('LOAD', script))));
    },
    async subscriber(onMessage, onReset) {
      // This class re-subscribes after a reconnection itself, so the moment it is complete is known.
      const sub = sharded ? client.duplicate([], { shardedSubscribers: true }) : client.duplicate({ autoResubscribe: false });
      return new IoRedisSubscriber(sub, sharded ? SHARDED : CLASSIC, onMessage, onReset);
    },
  };
}

/** The master nodes of an ioredis Cluster, once it has learned them (its first 'ready'). */
async function masters(cluster: IoRedisLike): Promise<IoRedisLike[]> {
  if (cluster.status !== 'ready') await new Promise((resolve) => cluster.once('ready', resolve));
  return cluster.nodes!('master');
}

/**
 * A subscriber connection that writes SUBSCRIBE only once the connection is ready (ioredis 5 sends some
 * commands during its handshake, and a SUBSCRIBE there fails its own ready check and drops the connection), and
 * subscribes again to every channel it holds whenever the connection is ready again after a loss.
 */
class IoRedisSubscriber implements RedisSubscriber {
  readonly #channels = new Set<string>();
  /** Settles at the next 'ready' (or 'end'): shared by every SUBSCRIBE waiting for it. */
  #nextReady: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  #wasReady = false;

  constructor(
    private readonly sub: IoRedisLike,
    private readonly pubSub: PubSub,
    onMessage: (channel: string, message: string) => void,
    private readonly onReset: (() => void) | undefined,
  ) {
    sub.on('error', () => {}); // reconnects on its own; calls time out and fall back meanwhile
    sub.on(pubSub.message, onMessage);
    sub.on('ready', () => {
      this.#nextReady?.resolve();
      this.#nextReady = undefined;
      if (this.#wasReady) void this.#resubscribe();
      this.#wasReady = true;
    });
    sub.on('end', () => {
      this.#nextReady?.reject(new Error('the subscriber connection was closed'));
      this.#nextReady = undefined;
    });
  }

  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    if (this.sub.status !== 'ready') await this.#ready();
    await this.sub[this.pubSub.subscribe](channel);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.#channels.delete(channel);
    if (this.sub.status === 'ready') await this.sub[this.pubSub.unsubscribe](channel);
  }

  close(): void {
    this.#channels.clear();
    this.sub.disconnect();
  }

  #ready(): Promise<void> {
    if (this.#nextReady === undefined) {
      let resolve!: () => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.#nextReady = { promise, resolve, reject };
    }
    return this.#nextReady.promise;
  }

  async #resubscribe(): Promise<void> {
    try {
      if (this.#channels.size > 0) await this.sub[this.pubSub.subscribe](...this.#channels);
    } catch {
      return; // lost again: the next 'ready' tries again
    }
    this.onReset?.();
  }
}
