import type { RedisConnection, RedisSubscriber } from './connection.js';

type Method = (...args: any[]) => any;
type PubSubListener = (message: string, channel: string) => void;

/** The subset of a node-redis (v4 and later) client or cluster used by both. */
interface NodeRedisBase<Self> {
  duplicate(): Self;
  connect(): Promise<unknown>;
  on(event: string, listener: Method): unknown;
  destroy?(): unknown;
  disconnect?(): Promise<void>;
}

/** A node-redis client (`createClient()`). */
export interface NodeRedisLike extends NodeRedisBase<NodeRedisLike> {
  sendCommand(args: string[]): Promise<unknown>;
  subscribe(channel: string, listener: PubSubListener): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
}

/** A node-redis cluster (`createCluster()`): commands are routed by their first key. */
export interface NodeRedisClusterLike extends NodeRedisBase<NodeRedisClusterLike> {
  sendCommand(firstKey: string | undefined, isReadonly: boolean, args: string[]): Promise<unknown>;
  readonly masters: readonly unknown[];
  /** The client of one node of {@link masters}: the connection `sendCommand` uses for its keys. */
  nodeClient(node: unknown): Promise<NodeRedisLike> | NodeRedisLike;
  sSubscribe(channel: string, listener: PubSubListener): Promise<void>;
  sUnsubscribe(channel: string): Promise<void>;
}

/**
 * Adapts a node-redis client, or a cluster with sharded pub/sub (SSUBSCRIBE on each shard's node). node-redis
 * re-subscribes by itself before it reports a reconnected connection ready ('ready', or 'node-ready' for any
 * node of a cluster), which is when `onReset` is called.
 */
export function fromNodeRedis(client: NodeRedisLike, cluster: false): RedisConnection;
export function fromNodeRedis(client: NodeRedisClusterLike, cluster: true): RedisConnection;
export function fromNodeRedis(client: NodeRedisLike | NodeRedisClusterLike, cluster: boolean): RedisConnection {
  /** EVAL or EVALSHA of `script` (its text or SHA1), routed by its first key on a cluster. */
  const run = (command: 'EVAL' | 'EVALSHA') => {
    const args = (script: string, keys: readonly string[], rest: readonly string[]) => [
      command,
      script,
      String(keys.length),
      ...keys,
      ...rest,
    ];
    return cluster
      ? (script: string, keys: readonly string[], rest: readonly string[]) =>
          (client as NodeRedisClusterLike).sendCommand(keys[0], false, args(script, keys, rest))
      : (script: string, keys: readonly string[], rest: readonly string[]) =>
          (client as NodeRedisLike).sendCommand(args(script, keys, rest));
  };
  const load = (node: NodeRedisLike, scripts: readonly string[]) =>
    Promise.all(scripts.map((script) => node.sendCommand(['SCRIPT', 'LOAD', script])));
  return {
    sharded: cluster,
    eval: run('EVAL'),
    evalsha: run('EVALSHA'),
    async loadScripts(scripts) {
      if (!cluster) return void (await load(client as NodeRedisLike, scripts));
      const { masters } = client as NodeRedisClusterLike;
      await Promise.all(masters.map(async (master) => load(await (client as NodeRedisClusterLike).nodeClient(master), scripts)));
    },
    async subscriber(onMessage, onReset) {
      const sub = client.duplicate();
      sub.on('error', () => {}); // reconnects on its own; calls time out and fall back meanwhile
      let connected = false;
      const connecting = sub.connect().then(() => void (connected = true));
      connecting.catch(() => {}); // awaited by subscribe
      sub.on(cluster ? 'node-ready' : 'ready', () => connected && onReset?.());
      const subscribe = cluster
        ? (channel: string, listener: PubSubListener) => (sub as NodeRedisClusterLike).sSubscribe(channel, listener)
        : (channel: string, listener: PubSubListener) => (sub as NodeRedisLike).subscribe(channel, listener);
      const unsubscribe = cluster
        ? (channel: string) => (sub as NodeRedisClusterLike).sUnsubscribe(channel)
        : (channel: string) => (sub as NodeRedisLike).unsubscribe(channel);
      const subscriber: RedisSubscriber = {
        async subscribe(channel) {
          await connecting;
          await subscribe(channel, (message) => onMessage(channel, message));
        },
        async unsubscribe(channel) {
          await connecting;
          await unsubscribe(channel);
        },
        close() {
          try {
            if (sub.destroy) sub.destroy();
            else sub.disconnect?.().catch(() => {});
          } catch {
            // node-redis 4 throws if the connection is already closed
          }
        },
      };
      return subscriber;
    },
  };
}
