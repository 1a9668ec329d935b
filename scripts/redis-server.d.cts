/** A redis-server process started by {@link startRedisServer}. */
export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  /** Kills the server (SIGKILL) and resolves once it has exited. */
  stop(): Promise<void>;
}
/** True if `redis-server` is on PATH. */
export function hasRedisServer(): boolean;
/** Installs redis-server with apt-get unless it is on PATH; throws if that is impossible. */
export function ensureRedisServer(): void;
/** Starts redis-server on 127.0.0.1 (a free port unless `port` is given), without persistence unless `args` ask for it. */
export function startRedisServer(options?: { port?: number; timeoutMs?: number; args?: string[] }): Promise<RedisServer>;
