/** A Redis Cluster started by {@link startRedisCluster}. */
export interface RedisCluster {
  /** Its three masters, each serving a third of the slots. */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** Kills every node and removes their files; resolves once they have exited. */
  stop(): Promise<void>;
}
/** Starts a three-master Redis Cluster on 127.0.0.1 at free ports; resolves once every slot is served. */
export function startRedisCluster(options?: { timeoutMs?: number }): Promise<RedisCluster>;
