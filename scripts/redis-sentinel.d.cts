/** A master, a replica and a Sentinel started by {@link startRedisSentinel}. */
export interface RedisSentinel {
  /** The monitored master's name. */
  readonly name: string;
  readonly sentinel: { readonly host: string; readonly port: number };
  /** The current master's port, as the Sentinel reports it. */
  master(): Promise<number>;
  /** Kills the master (SIGKILL); resolves once the Sentinel reports the promoted replica as master. */
  failover(): Promise<void>;
  /** Kills every process and removes their files. */
  stop(): Promise<void>;
}
/** Starts a master, one replica and one Sentinel on 127.0.0.1 at free ports. */
export function startRedisSentinel(options?: { timeoutMs?: number }): Promise<RedisSentinel>;
