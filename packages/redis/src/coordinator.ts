import { randomUUID } from 'node:crypto';
import { withTimeout } from './deadline.js';
import { execute, waitRemotely } from './diagnostics.js';
import { Inbox } from './inbox.js';
import { flightNames, type FlightNames } from './names.js';
import type { Config } from './options.js';
import { decodeBody, encodeOutcome, RETRY_BODY, type Envelope, type Outcome } from './payload.js';
import { ACQUIRE, RENEW, SETTLE } from './scripts.js';
import { Subscriptions } from './subscriptions.js';
import type { Counters } from './stats.js';

/** A flight's value, and whether it came from another process. */
export interface Settled<T> {
  readonly value: T;
  readonly remote: boolean;
}

type Fn<T> = (signal: AbortSignal) => T | PromiseLike<T>;

type AcquireReply =
  | { readonly kind: 'lead' }
  | { readonly kind: 'held'; readonly holder: string; readonly pttl: number }
  | { readonly kind: 'stored'; readonly body: string };

/**
 * The cross-process protocol, run once per local flight:
 * 1. ACQUIRE: take the lease with `SET NX PX`, or learn the holder's token and the lease's remaining time;
 * 2. as leader: run `fn`, renewing the lease, then SETTLE (store, release, publish) without making the local
 *    callers wait for it;
 * 3. as waiter: SUBSCRIBE to the key's channel, then ACQUIRE again naming the holder, which returns the
 *    holder's stored result if it settled in between; otherwise wait for the holder's message until its lease
 *    would expire, and ACQUIRE again: stored result, renewed lease, or this process becomes the new leader.
 * Any Redis failure or timeout runs `fn` locally instead, and Redis is skipped for `timeoutMs` afterwards.
 */
export class Coordinator {
  readonly #subscriptions: Subscriptions;
  readonly #settling = new Set<Promise<unknown>>();
  /** The last SETTLE of each flight name not yet done: this process's next flight of the key starts after it. */
  readonly #lastSettle = new Map<string, Promise<unknown>>();
  #downUntil = 0;

  constructor(
    private readonly config: Config,
    private readonly counters: Counters,
  ) {
    this.#subscriptions = new Subscriptions(config.connection, config.timeoutMs);
  }

  /**
   * Runs or joins the cross-process flight for `key`. `signal` aborts when every local caller left;
   * `force` takes the lease even if another flight holds it (the first flight after `forget`).
   */
  async run<T>(key: string, fn: Fn<T>, signal: AbortSignal, force: boolean): Promise<Settled<T>> {
    const names = flightNames(this.config.namespace, key);
    await this.#lastSettle.get(names.lease); // a call made after a flight's callers got its value starts a new one
    if (Date.now() < this.#downUntil) return this.#runLocally(names, fn, signal);
    const token = randomUUID();
    let first: AcquireReply;
    try {
      first = await this.#acquire(names, token, '', force);
    } catch {
      return this.#runLocally(names, fn, signal);
    }
    if (first.kind !== 'held') return this.#lead(names, token, fn, signal, false); // '' never finds 'stored'
    const inbox = new Inbox();
    let release: () => void; // idempotent: #wait releases early before running fn, the finally again
    try {
      release = await this.#subscriptions.listen(
        names.channel,
        (message) => inbox.push(message),
        () => inbox.interrupt(),
      );
    } catch {
      this.#markDown();
      return this.#runLocally(names, fn, signal);
    }
    try {
      // Asked again now that messages are collected: a result published since the first ACQUIRE is found in
      // the result key (it carries the holder's token), a later one arrives in the inbox.
      const wait = () => this.#wait(names, token, inbox, fn, signal, first.holder, release);
      return await waitRemotely(names, first.holder, this.#evaluate, wait);
    } finally {
      release();
    }
  }

  /** Waits for the SETTLE commands still in progress, then drops the subscriber connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#settling]);
    await this.#subscriptions.close();
  }

  /** Waits, with a subscription, until the flight of `holder` (or of its successors) settles, or leads. */
  async #wait<T>(
    names: FlightNames,
    token: string,
    inbox: Inbox,
    fn: Fn<T>,
    signal: AbortSignal,
    holder: string,
    release: () => void,
  ): Promise<Settled<T>> {
    let awaited = holder;
    for (;;) {
      let reply: AcquireReply;
      try {
        reply = await this.#acquire(names, token, awaited, false);
      } catch {
        release();
        return this.#runLocally(names, fn, signal);
      }
      if (reply.kind === 'lead') {
        release();
        return this.#lead(names, token, fn, signal, true);
      }
      if (reply.kind === 'held' && reply.pttl < 0) {
        release(); // a lease without expiry was not written by this protocol: waiting on it could be forever
        return this.#runLocally(names, fn, signal);
      }
      let body: string | undefined;
      if (reply.kind === 'stored') {
        body = reply.body;
        awaited = ''; // if the stored result is refused, the next ACQUIRE finds no lease and leads
      } else {
        awaited = reply.holder;
        body = await inbox.next(awaited, reply.pttl + 2, signal);
        if (body === undefined) continue; // the lease would have expired by now: ask again
      }
      const outcome = this.#decode(body);
      if (outcome === undefined) continue;
      switch (outcome.t) {
        case 'ok':
          return { value: outcome.value as T, remote: true };
        case 'err':
          throw outcome.error;
        case 'local':
          release();
          return this.#runLocally(names, fn, signal);
        case 'retry':
          awaited = '';
      }
    }
  }

  /** Runs `fn` as the flight's leader (unless every local caller already left), then settles the flight. */
  async #lead<T>(names: FlightNames, token: string, fn: Fn<T>, signal: AbortSignal, takeover: boolean) {
    const outcome: Outcome<T> = signal.aborted
      ? { ok: false, error: signal.reason } // every local caller left while the lease was being taken
      : await this.#execute(names, token, fn, signal, takeover);
    // Waiters elsewhere must not receive the abort of callers who all left: they compete for the lease again.
    const abandoned = signal.aborted;
    // Encoded only once the local callers have their outcome: encoding never delays or fails them.
    this.#track(
      names.lease,
      afterCallers().then(() => {
        const body = abandoned ? RETRY_BODY : encodeOutcome(outcome, this.config);
        const args = [token, token + '\n' + body, String(this.config.resultTtlMs), names.channel, this.config.publish];
        return this.#eval(SETTLE, [names.lease, names.result], args, 'SETTLE');
      }),
    );
    if (!outcome.ok) throw outcome.error;
    return { value: outcome.value, remote: false };
  }

  /** Runs `fn`, renewing the lease every third of `leaseMs` meanwhile. */
  async #execute<T>(names: FlightNames, token: string, fn: Fn<T>, signal: AbortSignal, takeover: boolean) {
    this.counters.executions++;
    if (takeover) this.counters.takeovers++;
    const { leaseMs } = this.config;
    const renew = () => this.#eval(RENEW, [names.lease], [token, String(leaseMs)], 'RENEW').catch(() => {});
    const renewal = setInterval(renew, Math.floor(leaseMs / 3)).unref();
    try {
      const value = await execute(names, { token, takeover }, this.config, this.#evaluate, () => fn(signal));
      return { ok: true, value } as const;
    } catch (error) {
      return { ok: false, error } as const;
    } finally {
      clearInterval(renewal);
    }
  }

  async #runLocally<T>(names: FlightNames, fn: Fn<T>, signal: AbortSignal): Promise<Settled<T>> {
    this.counters.executions++;
    this.counters.fallbacks++;
    const value = await execute(names, { fallback: true }, this.config, this.#evaluate, () => fn(signal));
    return { value, remote: false };
  }

  #decode(body: string): Envelope | undefined {
    try {
      return decodeBody(body, this.config);
    } catch {
      this.counters.invalidPayloads++;
      return undefined;
    }
  }

  /** ACQUIRE (see scripts.ts) with its reply checked. */
  async #acquire(names: FlightNames, token: string, awaited: string, force: boolean): Promise<AcquireReply> {
    const args = [token, String(this.config.leaseMs), awaited, force ? '1' : '0'];
    return parseAcquire(await this.#eval(ACQUIRE, [names.lease, names.result], args, 'ACQUIRE'));
  }

  /** One script call, bounded by `timeoutMs`; a failure marks Redis as down for `timeoutMs`. */
  #eval(script: string, keys: string[], args: string[], what: string): Promise<unknown> {
    const call = Promise.resolve().then(() => this.config.connection.eval(script, keys, args));
    return withTimeout(call, this.config.timeoutMs, what).catch((error: unknown) => {
      this.#markDown();
      throw error;
    });
  }

  /** {@link #eval} for diagnostics (diagnostics.ts), which name no command. */
  readonly #evaluate = (script: string, keys: string[], args: string[]) => this.#eval(script, keys, args, 'diagnostics');

  #markDown(): void {
    this.#downUntil = Date.now() + this.config.timeoutMs;
  }

  #track(lease: string, settling: Promise<unknown>): void {
    const tracked = settling.catch(() => {}).finally(() => {
      this.#settling.delete(tracked);
      if (this.#lastSettle.get(lease) === tracked) this.#lastSettle.delete(lease);
    });
    this.#settling.add(tracked);
    this.#lastSettle.set(lease, tracked);
  }
}

/** Resolves after the microtasks queued now (the local callers receiving the outcome) have run. */
function afterCallers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Checks the shape of ACQUIRE's reply (see scripts.ts); throws a `TypeError` for anything else. */
function parseAcquire(reply: unknown): AcquireReply {
  if (Array.isArray(reply)) {
    const [kind, text, pttl] = reply as unknown[];
    if (kind === 1) return { kind: 'lead' };
    if (kind === 0 && typeof text === 'string' && typeof pttl === 'number') return { kind: 'held', holder: text, pttl };
    if (kind === 2 && typeof text === 'string') return { kind: 'stored', body: text.slice(text.indexOf('\n') + 1) };
  }
  throw new TypeError('unexpected ACQUIRE reply from Redis');
}
