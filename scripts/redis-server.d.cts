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
/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number>;
/**
 * Starts redis-server on 127.0.0.1 (a free port unless `port` is given), without persistence; `args` are appended
 * to its command line, `cwd` is where it writes its files, `config` a configuration file it reads first.
 */
export function startRedisServer(options?: {
  port?: number;
  timeoutMs?: number;
  args?: readonly string[];
  cwd?: string;
  config?: string;
}): Promise<RedisServer>;
