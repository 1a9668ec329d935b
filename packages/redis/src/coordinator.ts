import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Commands } from './commands.js';
import { waitRemotely } from './diagnostics.js';
import type { FlightFn, Settled } from './flight.js';
import { HolderWatch } from './holder-watch.js';
import { Inbox } from './inbox.js';
import { Leader } from './leader.js';
import { flightNamer, type FlightNames } from './names.js';
import type { Config } from './options.js';
import { keysOf, type AcquireReply } from './replies.js';
import { LEAVE, Takeover } from './scripts.js';
import { Subscriptions } from './subscriptions.js';
import type { Counters } from './stats.js';
import { Waiter } from './waiter.js';

/**
 * The cross-process protocol, run once per local flight:
 * 1. ACQUIRE: take the lease with its fencing token, or learn the holder's token, fencing token and the
 *    lease's remaining time (and count as a waiting process);
 * 2. as leader ({@link Leader}): run `fn`, renewing the lease, then SETTLE (store, release, publish) without
 *    making the local callers wait for it; SETTLE refuses the result if a later lease was taken meanwhile.
 *    `fn`'s signal aborts when the local callers and every waiting process have left (see abandonment.ts);
 * 3. as waiter ({@link Waiter}): SUBSCRIBE to the key's channel, then ACQUIRE again naming the holder, which
 *    returns the holder's stored result if it settled in between; otherwise wait for the holder's message (or
 *    notice, for a large result, to read it from the result key) until its lease would expire, and ACQUIRE
 *    again: stored result, renewed lease, or this process becomes the new leader. A holder that has not renewed
 *    its lease for `leaseMs` is taken over (see holder-watch.ts). When every local caller left, LEAVE.
 * Any Redis failure or timeout runs `fn` locally instead, and Redis is skipped for `timeoutMs` afterwards
 * ({@link Commands}). An ACQUIRE that timed out may still have taken the lease: that flight then settles it like
 * a leader (see claim.ts), so no lease is left for others to wait out. The order of ACQUIRE, SETTLE and LEAVE on
 * the connection is part of the protocol: see {@link Leader.settleSent} and {@link Commands}.
 */
export class Coordinator {
  readonly #subscriptions: Subscriptions;
  readonly #commands: Commands;
  readonly #leader: Leader;
  readonly #names: (key: string) => FlightNames;

  constructor(
    private readonly config: Config,
    private readonly counters: Counters,
  ) {
    this.#subscriptions = new Subscriptions(config.connection, config.timeoutMs);
    this.#commands = new Commands(config);
    this.#leader = new Leader(config, counters, this.#commands);
    this.#names = flightNamer(config.namespace);
  }

  /**
   * Runs or joins the cross-process flight for `key`. `signal` aborts when every local caller left;
   * `force` takes the lease even if another flight holds it (the first flight after `forget`).
   */
  async run<T>(key: string, fn: FlightFn<T>, signal: AbortSignal, force: boolean): Promise<Settled<T>> {
    const names = this.#names(key);
    const commands = this.#commands;
    const leader = this.#leader;
    const settleSent = leader.settleSent(names);
    if (settleSent !== undefined) await settleSent; // a call made after a flight's callers got its value starts a new one
    if (commands.down) return leader.runLocally(names, fn, signal);
    const token = randomUUID();
    const attempt = commands.acquire(names, token, '', force ? Takeover.always : Takeover.never);
    let first: AcquireReply;
    try {
      first = await attempt.reply;
    } catch {
      return leader.lead(names, token, fn, signal, attempt, false);
    }
    if (first.kind === 'lead') return leader.lead(names, token, fn, signal, first, false);
    if (first.kind === 'stored') return leader.runLocally(names, fn, signal); // not an answer to '': not our protocol
    const inbox = new Inbox();
    let release: () => void; // idempotent: the waiter releases early before running fn, the finally again
    try {
      release = await this.#subscriptions.listen(
        names.channel,
        (message) => inbox.push(message),
        () => inbox.interrupt(),
      );
    } catch {
      commands.markDown();
      return leader.runLocally(names, fn, signal);
    }
    const watch = new HolderWatch(this.config.leaseMs);
    watch.observe(first.holder, first.pttl, first.fence, attempt.sentAt, performance.now());
    const deps = { config: this.config, counters: this.counters, commands, leader };
    const waiter = new Waiter(deps, names, token, fn, signal, inbox, watch, release);
    try {
      // Asked again now that messages are collected: a result published since the first ACQUIRE is found in
      // the result key (it carries the holder's token), a later one arrives in the inbox.
      return await waitRemotely(names, first.holder, commands.evaluate, () => waiter.until(first.holder));
    } catch (error) {
      if (signal.aborted) commands.track(commands.eval(LEAVE, keysOf(names), [token], 'LEAVE')); // one per process
      throw error;
    } finally {
      release();
    }
  }

  /** Waits for the SETTLE and LEAVE commands still in progress, then drops the subscriber connection. */
  async close(): Promise<void> {
    await this.#commands.close();
    await this.#subscriptions.close();
  }
}
