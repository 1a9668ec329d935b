import { performance } from 'node:perf_hooks';
import type { FlightNames } from './names.js';
import type { Config } from './options.js';
import { withTimeout } from './redis-timeout.js';
import { bodyOf, keysOf, parseAcquire, type AcquireReply } from './replies.js';
import { isNoScript, ScriptCache } from './script-cache.js';
import { ACQUIRE, FETCH, LEAVE, RENEW, SETTLE, type Takeover } from './scripts.js';

/** An ACQUIRE sent to Redis: `reply` is bounded by `timeoutMs`, `answer` is whatever Redis answers, however late. */
export interface Attempt {
  readonly reply: Promise<AcquireReply>;
  readonly answer: Promise<AcquireReply>;
  /** `performance.now()` when it was sent. */
  readonly sentAt: number;
}

/** Runs one script call; resolves with its reply. */
export type Evaluate = (script: string, keys: string[], args: string[]) => Promise<unknown>;

/**
 * The round trips of the protocol, on the one command connection of a RedisSharedCall. Every call is bounded
 * by `timeoutMs`; a failure or timeout marks Redis as unavailable for `timeoutMs` ({@link down}), during which
 * flights run `fn` locally without asking it. Commands are handed to the connection in the order of the calls
 * here, and Redis runs the commands of one connection in that order: the protocol relies on it (scripts.ts).
 * Commands that {@link close} must wait for (SETTLE, LEAVE) are kept by {@link track}.
 */
export class Commands {
  readonly #pending = new Set<Promise<unknown>>();
  /** The last FETCH queued: large results are read one at a time, so each one's timeout measures its own transfer. */
  #fetching: Promise<unknown> = Promise.resolve();
  #downUntil = 0;
  readonly #scripts: ScriptCache;

  constructor(private readonly config: Config) {
    this.#scripts = new ScriptCache(config.connection, [ACQUIRE, RENEW, SETTLE, FETCH, LEAVE]);
  }

  /** True while Redis counts as unavailable (a call failed or timed out less than `timeoutMs` ago). */
  get down(): boolean {
    return Date.now() < this.#downUntil;
  }

  /** Marks Redis as unavailable for `timeoutMs`. */
  markDown(): void {
    this.#downUntil = Date.now() + this.config.timeoutMs;
  }

  /** ACQUIRE (see scripts.ts) with its reply checked. */
  acquire(names: FlightNames, token: string, awaited: string, takeover: Takeover): Attempt {
    const sentAt = performance.now();
    const args = [token, String(this.config.leaseMs), awaited, takeover, String(2 * this.config.leaseMs)];
    const answer = this.#send(ACQUIRE, keysOf(names), args).then(parseAcquire);
    return { reply: this.#bounded(answer, 'ACQUIRE'), answer, sentAt };
  }

  /**
   * FETCH (see scripts.ts): the stored body of `token`'s result, or `undefined` if it is not stored. Queued
   * behind the FETCHes in progress (sixty 1 MB results arriving at once would otherwise share one `timeoutMs`);
   * rejects at once if Redis failed meanwhile.
   */
  fetch(names: FlightNames, token: string): Promise<string | undefined> {
    const fetch = async () => {
      if (this.down) throw new Error('Redis is unavailable');
      const stored = await this.eval(FETCH, keysOf(names), [token], 'FETCH');
      if (stored === null || stored === undefined) return undefined;
      if (typeof stored !== 'string') throw new TypeError('unexpected FETCH reply from Redis');
      return bodyOf(stored);
    };
    const fetched = this.#fetching.then(fetch, fetch);
    this.#fetching = fetched.catch(() => {});
    return fetched;
  }

  /** One script call, bounded by `timeoutMs`; `what` names it in the timeout's message. */
  eval(script: string, keys: string[], args: string[], what: string): Promise<unknown> {
    return this.#bounded(this.#send(script, keys, args), what);
  }

  /** {@link eval} for diagnostics (diagnostics.ts), which name no command. */
  readonly evaluate: Evaluate = (script, keys, args) => this.eval(script, keys, args, 'diagnostics');

  /** Keeps `command` (its failure ignored) until it settles, for {@link close}. */
  track(command: Promise<unknown>): void {
    const tracked = command.catch(() => {}).finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  /** Waits for the commands kept by {@link track}. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  /** One script call as Redis answers it, unbounded (by SHA1 when it can: see script-cache.ts). */
  #send(script: string, keys: string[], args: string[]): Promise<unknown> {
    return this.#scripts.send(script, keys, args);
  }

  /**
   * `call` bounded by `timeoutMs`; a failure marks Redis as down for `timeoutMs`, except NOSCRIPT (Redis is up,
   * the scripts are loaded again before the next command).
   */
  #bounded<T>(call: Promise<T>, what: string): Promise<T> {
    return withTimeout(call, this.config.timeoutMs, what).catch((error: unknown) => {
      if (!isNoScript(error)) this.markDown();
      throw error;
    });
  }
}
