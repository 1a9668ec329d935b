// Over 250 lines on purpose: this file is the cross-process protocol of one flight (the steps listed on
// Coordinator), and those steps share the flight's token, claim and lease, and an order between ACQUIRE, SETTLE
// and LEAVE that is only checkable when read in one place. Every part with a contract of its own is already
// elsewhere: the Lua scripts (scripts.ts) and their replies (replies.ts), the lease claim (claim.ts), when a
// holder counts as dead (holder-watch.ts), the leader's signal (abandonment.ts), messages (subscriptions.ts,
// inbox.ts), round-trip bounds (redis-timeout.ts) and the result's encoding (payload.ts).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { settleAsync, type Outcome } from '@shared-call/core/internal';
import { Abandonment } from './abandonment.js';
import { Claim } from './claim.js';
import { withTimeout } from './redis-timeout.js';
import { execute, waitRemotely, type Execution } from './diagnostics.js';
import { HolderWatch } from './holder-watch.js';
import { Inbox } from './inbox.js';
import { flightNames, type FlightNames } from './names.js';
import type { Config } from './options.js';
import { decodeBody, encodeOutcome, RETRY_BODY, type Envelope } from './payload.js';
import { ACQUIRE, FETCH, LEAVE, RENEW, SETTLE, Takeover } from './scripts.js';
import { bodyOf, keysOf, parseAcquire, parseRenew, type AcquireReply, type Won } from './replies.js';
import { Subscriptions } from './subscriptions.js';
import type { Counters } from './stats.js';

/** What `fn` receives besides its signal. */
export interface FlightContext {
  /**
   * The fencing token of this execution's lease: a positive safe integer, strictly greater than the token of
   * every earlier lease of the same namespace and key. Pass it to the resource `fn` writes, which refuses
   * writes carrying a smaller token than one it has seen. `undefined` when `fn` runs without a lease (Redis
   * unavailable: a fallback), so such an execution cannot pass a fence by mistake.
   */
  readonly fencingToken: number | undefined;
}

/** The function a flight runs. */
export type FlightFn<T> = (signal: AbortSignal, flight: FlightContext) => T | PromiseLike<T>;

/** A flight's value, whether it came from another process, and the fencing token of the execution that made it. */
export interface Settled<T> {
  readonly value: T;
  readonly remote: boolean;
  readonly fencingToken: number | undefined;
}

/** An ACQUIRE sent to Redis: `reply` is bounded by `timeoutMs`, `answer` is whatever Redis answers, however late. */
interface Attempt {
  readonly reply: Promise<AcquireReply>;
  readonly answer: Promise<AcquireReply>;
  /** `performance.now()` when it was sent. */
  readonly sentAt: number;
}

/**
 * Bodies up to this many bytes are published with the settle message; larger ones are read from the result
 * key by the waiters, so a burst of large results cannot exceed Redis's pub/sub output-buffer limit (32 MB hard,
 * 8 MB for 60 s by default) and get the shared subscriber disconnected.
 */
const INLINE_BYTES = 4096;

/**
 * The cross-process protocol, run once per local flight:
 * 1. ACQUIRE: take the lease with its fencing token, or learn the holder's token, fencing token and the
 *    lease's remaining time (and count as a waiting process);
 * 2. as leader: run `fn`, renewing the lease, then SETTLE (store, release, publish) without making the local
 *    callers wait for it; SETTLE refuses the result if a later lease was taken meanwhile. `fn`'s signal aborts
 *    when the local callers and every waiting process have left (see {@link Abandonment});
 * 3. as waiter: SUBSCRIBE to the key's channel, then ACQUIRE again naming the holder, which returns the
 *    holder's stored result if it settled in between; otherwise wait for the holder's message (or notice, for a
 *    large result, to read it from the result key) until its lease would expire, and ACQUIRE again: stored
 *    result, renewed lease, or this process becomes the new leader. A holder that has not renewed its lease
 *    for `leaseMs` is taken over (see {@link HolderWatch}). When every local caller left, LEAVE.
 * Any Redis failure or timeout runs `fn` locally instead, and Redis is skipped for `timeoutMs` afterwards. An
 * ACQUIRE that timed out may still have taken the lease: that flight then settles it like a leader (see
 * {@link Claim}), so no lease is left for others to wait out.
 */
export class Coordinator {
  readonly #subscriptions: Subscriptions;
  readonly #settling = new Set<Promise<unknown>>();
  /** Each key's last SETTLE not yet sent: this process's next flight of the key sends its ACQUIRE after it. */
  readonly #lastSent = new Map<string, Promise<void>>();
  /** The last FETCH queued: large results are read one at a time, so each one's timeout measures its own transfer. */
  #fetching: Promise<unknown> = Promise.resolve();
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
  async run<T>(key: string, fn: FlightFn<T>, signal: AbortSignal, force: boolean): Promise<Settled<T>> {
    const names = flightNames(this.config.namespace, key);
    await this.#lastSent.get(names.lease); // a call made after a flight's callers got its value starts a new one
    if (Date.now() < this.#downUntil) return this.#runLocally(names, fn, signal);
    const token = randomUUID();
    const attempt = this.#acquire(names, token, '', force ? Takeover.always : Takeover.never);
    let first: AcquireReply;
    try {
      first = await attempt.reply;
    } catch {
      return this.#lead(names, token, fn, signal, attempt, false);
    }
    if (first.kind === 'lead') return this.#lead(names, token, fn, signal, first, false);
    if (first.kind === 'stored') return this.#runLocally(names, fn, signal); // not an answer to '': not our protocol
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
    const watch = new HolderWatch(this.config.leaseMs);
    watch.observe(first.holder, first.pttl, first.fence, attempt.sentAt, performance.now());
    try {
      // Asked again now that messages are collected: a result published since the first ACQUIRE is found in
      // the result key (it carries the holder's token), a later one arrives in the inbox.
      const wait = () => this.#wait(names, token, inbox, watch, fn, signal, first.holder, release);
      return await waitRemotely(names, first.holder, this.#evaluate, wait);
    } catch (error) {
      if (signal.aborted) this.#track(this.#eval(LEAVE, keysOf(names), [token], 'LEAVE')); // one per process
      throw error;
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
    watch: HolderWatch,
    fn: FlightFn<T>,
    signal: AbortSignal,
    holder: string,
    release: () => void,
  ): Promise<Settled<T>> {
    let awaited = holder;
    for (;;) {
      const attempt = this.#acquire(names, token, awaited, watch.lapsed ? Takeover.ifAwaited : Takeover.never);
      let reply: AcquireReply;
      try {
        reply = await attempt.reply;
      } catch {
        release();
        return this.#lead(names, token, fn, signal, attempt, false);
      }
      if (reply.kind === 'lead') {
        release();
        return this.#lead(names, token, fn, signal, reply, true);
      }
      if (reply.kind === 'held' && reply.pttl < 0) {
        release(); // a lease without expiry was not written by this protocol: waiting on it could be forever
        return this.#runLocally(names, fn, signal);
      }
      let fencingToken = watch.fence; // of `awaited`
      let body: string | undefined;
      if (reply.kind === 'stored') {
        body = reply.body;
        fencingToken = reply.fence ?? fencingToken; // told when it is a later flight's result, or still known
        awaited = ''; // if the stored result is refused, the next ACQUIRE finds no lease and leads
      } else {
        awaited = reply.holder;
        fencingToken = reply.fence;
        watch.observe(awaited, reply.pttl, reply.fence, attempt.sentAt, performance.now());
        body = await inbox.next(awaited, watch.waitMs(performance.now()), signal);
        if (body === undefined) continue; // the lease would have expired, or its renewal is overdue: ask again
        if (body === '') {
          // settled with a large result, stored only
          try {
            body = await this.#fetch(names, awaited);
          } catch {
            release();
            return this.#runLocally(names, fn, signal);
          }
          if (body === undefined) continue; // expired or overwritten already: the next ACQUIRE finds no lease
        }
      }
      const outcome = this.#decode(body);
      if (outcome === undefined) continue;
      switch (outcome.t) {
        case 'ok':
          return { value: outcome.value as T, remote: true, fencingToken };
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

  /**
   * Runs `fn` as the flight's leader (unless every local caller already left), then settles the flight.
   * `lease` is ACQUIRE's "lead" reply, or an ACQUIRE that did not answer in time: `fn` then runs as a fallback
   * (without a fencing token), and the lease is renewed if the late answer says it is ours, and settled unless
   * the answer said someone else holds it. A SETTLE sent before the answer runs after the ACQUIRE (the commands
   * of one connection run in order) and releases the lease only if it is ours, so none is left behind.
   */
  async #lead<T>(names: FlightNames, token: string, fn: FlightFn<T>, signal: AbortSignal, lease: Won | Attempt, takeover: boolean) {
    const certain = !('answer' in lease);
    if (!signal.aborted) {
      if (!certain) this.counters.fallbacks++;
      else if (takeover) this.counters.takeovers++;
    }
    const claim = new Claim(certain ? lease.fence : lease.answer.then((reply) => (reply.kind === 'lead' ? reply.fence : undefined)));
    const fencingToken = certain ? lease.fence : undefined;
    const { outcome, abandoned } = signal.aborted
      ? { outcome: { ok: false, error: signal.reason } as const, abandoned: true } // every local caller left meanwhile
      : await this.#execute(names, token, fn, signal, claim, { token, takeover, fencingToken, fallback: !certain });
    // Waiters elsewhere must not receive the abort of callers who all left: they compete for the lease again.
    // Encoded only once the local callers have their outcome: encoding never delays or fails them.
    if (claim.mayBeOurs) {
      this.#settle(names, token, claim, () => (abandoned ? RETRY_BODY : encodeOutcome(outcome, this.config)));
    }
    if (!outcome.ok) throw outcome.error;
    return { value: outcome.value, remote: false, fencingToken };
  }

  /**
   * Runs `fn` with the signal of its {@link Abandonment}, renewing the lease every third of `leaseMs` from when
   * it is won until `fn` settles. Tells whether `fn` was told to stop because everyone left.
   */
  async #execute<T>(
    names: FlightNames,
    token: string,
    fn: FlightFn<T>,
    signal: AbortSignal,
    claim: Claim,
    execution: Execution,
  ): Promise<{ outcome: Outcome<T>; abandoned: boolean }> {
    this.counters.executions++;
    const { leaseMs } = this.config;
    const renew = () =>
      this.#eval(RENEW, keysOf(names), [token, String(leaseMs)], 'RENEW').then(
        (reply) => abandonment.waiting(parseRenew(reply)),
        () => abandonment.waiting(0),
      );
    const abandonment = new Abandonment(signal, renew);
    let running = true;
    let renewal: NodeJS.Timeout | undefined;
    void claim.won.then((won) => {
      if (won && running) renewal = setInterval(renew, Math.floor(leaseMs / 3)).unref();
    });
    try {
      const { fencingToken } = execution;
      const outcome = await settleAsync(() =>
        execute(names, execution, this.config, this.#evaluate, () => fn(abandonment.signal, { fencingToken })),
      );
      return { outcome, abandoned: abandonment.signal.aborted };
    } finally {
      running = false;
      clearInterval(renewal);
      abandonment.dispose();
    }
  }

  /**
   * SETTLE (see scripts.ts), not awaited by the callers: the body is encoded once they have their outcome, so
   * encoding never delays or fails them; {@link close} waits for it. This process's next flight of the key
   * sends its ACQUIRE only once this SETTLE is sent: the commands of one connection run in order, so that
   * flight finds this one settled (a call made after a caller got its value starts a new flight). A result
   * refused because a later lease was taken is counted in `staleResults` (a fallback's settle by token is
   * refused whenever the lease was not its own, which is not counted).
   */
  #settle(names: FlightNames, token: string, claim: Claim, body: () => string): void {
    const fence = claim.fence === undefined ? '' : String(claim.fence);
    const sending = afterCallers().then(() => {
      const { resultTtlMs, publish } = this.config;
      const args = [token, fence, body(), String(resultTtlMs), names.channel, String(INLINE_BYTES), RETRY_BODY, publish];
      return { reply: this.#eval(SETTLE, keysOf(names), args, 'SETTLE') };
    });
    const sent = sending.then(() => {});
    this.#lastSent.set(names.lease, sent);
    void sent.then(() => {
      if (this.#lastSent.get(names.lease) === sent) this.#lastSent.delete(names.lease);
    });
    const settling = sending.then(async ({ reply }) => {
      if ((await reply) === 0 && fence !== '') this.counters.staleResults++;
    });
    this.#track(settling);
  }

  async #runLocally<T>(names: FlightNames, fn: FlightFn<T>, signal: AbortSignal): Promise<Settled<T>> {
    this.counters.executions++;
    this.counters.fallbacks++;
    const run = () => fn(signal, { fencingToken: undefined });
    const value = await execute(names, { fallback: true }, this.config, this.#evaluate, run);
    return { value, remote: false, fencingToken: undefined };
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
  #acquire(names: FlightNames, token: string, awaited: string, takeover: Takeover): Attempt {
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
  #fetch(names: FlightNames, token: string): Promise<string | undefined> {
    const fetch = async () => {
      if (Date.now() < this.#downUntil) throw new Error('Redis is unavailable');
      const stored = await this.#eval(FETCH, keysOf(names), [token], 'FETCH');
      if (stored === null || stored === undefined) return undefined;
      if (typeof stored !== 'string') throw new TypeError('unexpected FETCH reply from Redis');
      return bodyOf(stored);
    };
    const fetched = this.#fetching.then(fetch, fetch);
    this.#fetching = fetched.catch(() => {});
    return fetched;
  }

  /** One script call, bounded by `timeoutMs`; a failure marks Redis as down for `timeoutMs`. */
  #eval(script: string, keys: string[], args: string[], what: string): Promise<unknown> {
    return this.#bounded(this.#send(script, keys, args), what);
  }

  /** One script call as Redis answers it, unbounded. */
  #send(script: string, keys: string[], args: string[]): Promise<unknown> {
    return Promise.resolve().then(() => this.config.connection.eval(script, keys, args));
  }

  /** `call` bounded by `timeoutMs`; a failure marks Redis as down for `timeoutMs`. */
  #bounded<T>(call: Promise<T>, what: string): Promise<T> {
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

  /** Keeps `settling` for {@link close}. */
  #track(settling: Promise<unknown>): void {
    const tracked = settling.catch(() => {}).finally(() => this.#settling.delete(tracked));
    this.#settling.add(tracked);
  }
}

/** Resolves after the microtasks queued now (the local callers receiving the outcome) have run. */
function afterCallers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
