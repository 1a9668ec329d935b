import { settleAsync, type Outcome } from '@shared-call/core/internal';
import { Abandonment } from './abandonment.js';
import { afterCallers } from './after-callers.js';
import { Claim } from './claim.js';
import type { Attempt, Commands } from './commands.js';
import { execute, type Execution } from './diagnostics.js';
import type { FlightFn, Settled } from './flight.js';
import type { FlightNames } from './names.js';
import type { Config } from './options.js';
import { encodeOutcome, RETRY_BODY } from './payload.js';
import { keysOf, parseRenew, type Won } from './replies.js';
import { Renewals } from './renewals.js';
import { RENEW, SETTLE } from './scripts.js';
import type { Counters } from './stats.js';

/**
 * Bodies up to this many bytes are published with the settle message; larger ones are read from the result
 * key by the waiters, so a burst of large results cannot exceed Redis's pub/sub output-buffer limit (32 MB hard,
 * 8 MB for 60 s by default) and get the shared subscriber disconnected.
 */
const INLINE_BYTES = 4096;

/**
 * The leader's side of the protocol (step 2 in coordinator.ts): run `fn` holding the lease, renewing it, then
 * SETTLE without making the local callers wait; or run `fn` locally without coordination (a fallback).
 */
export class Leader {
  /** Each key's last SETTLE not yet sent: this process's next flight of the key sends its ACQUIRE after it. */
  readonly #lastSent = new Map<string, Promise<void>>();
  readonly #renewals: Renewals;

  constructor(
    private readonly config: Config,
    private readonly counters: Counters,
    private readonly commands: Commands,
  ) {
    this.#renewals = new Renewals(Math.floor(config.leaseMs / 3));
  }

  /**
   * Resolves once this process's last SETTLE of the flight named `names` has been handed to the connection
   * (`undefined` when none is pending): a flight that sends its ACQUIRE after it finds that one settled.
   */
  settleSent(names: FlightNames): Promise<void> | undefined {
    return this.#lastSent.get(names.lease);
  }

  /**
   * Runs `fn` as the flight's leader (unless every local caller already left), then settles the flight.
   * `lease` is ACQUIRE's "lead" reply, or an ACQUIRE that did not answer in time: `fn` then runs as a fallback
   * (without a fencing token), and the lease is renewed if the late answer says it is ours, and settled unless
   * the answer said someone else holds it. A SETTLE sent before the answer runs after the ACQUIRE (the commands
   * of one connection run in order) and releases the lease only if it is ours, so none is left behind.
   */
  async lead<T>(
    names: FlightNames,
    token: string,
    fn: FlightFn<T>,
    signal: AbortSignal,
    lease: Won | Attempt,
    takeover: boolean,
  ): Promise<Settled<T>> {
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

  /** Runs `fn` without coordination (a fallback): no lease, no fencing token, nothing published. */
  async runLocally<T>(names: FlightNames, fn: FlightFn<T>, signal: AbortSignal): Promise<Settled<T>> {
    this.counters.executions++;
    this.counters.fallbacks++;
    const run = () => fn(signal, { fencingToken: undefined });
    const value = await execute(names, { fallback: true }, this.config, this.commands.evaluate, run);
    return { value, remote: false, fencingToken: undefined };
  }

  /**
   * Runs `fn` with the signal of its {@link Abandonment}, renewing the lease at least every third of `leaseMs`
   * from when it is won until `fn` settles ({@link Renewals}). Tells whether `fn` was told to stop because everyone left.
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
      this.commands.eval(RENEW, keysOf(names), [token, String(leaseMs)], 'RENEW').then(
        (reply) => abandonment.waiting(parseRenew(reply)),
        () => abandonment.waiting(0),
      );
    const abandonment = new Abandonment(signal, renew, fn);
    let running = true;
    let stopRenewing: (() => void) | undefined;
    if (claim.ours) stopRenewing = this.#renewals.add(renew);
    else {
      void claim.won.then((won) => {
        if (won && running) stopRenewing = this.#renewals.add(renew);
      });
    }
    try {
      const { fencingToken } = execution;
      const outcome = await settleAsync(() =>
        execute(names, execution, this.config, this.commands.evaluate, () => fn(abandonment.signal!, { fencingToken })),
      );
      return { outcome, abandoned: abandonment.aborted };
    } finally {
      running = false;
      stopRenewing?.();
      abandonment.dispose();
    }
  }

  /**
   * SETTLE (see scripts.ts), not awaited by the callers: the body is encoded once they have their outcome, so
   * encoding never delays or fails them; `close` waits for it. This process's next flight of the key
   * sends its ACQUIRE only once this SETTLE is sent: the commands of one connection run in order, so that
   * flight finds this one settled (a call made after a caller got its value starts a new flight). A result
   * refused because a later lease was taken is counted in `staleResults` (a fallback's settle by token is
   * refused whenever the lease was not its own, which is not counted).
   */
  #settle(names: FlightNames, token: string, claim: Claim, body: () => string): void {
    const fence = claim.fence === undefined ? '' : String(claim.fence);
    let markSent!: () => void;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    this.#lastSent.set(names.lease, sent);
    let settled!: (reply: Promise<unknown> | undefined) => void;
    this.commands.track(new Promise((resolve) => (settled = resolve))); // now: `close` may be called before it is sent
    afterCallers(() => {
      try {
        const { resultTtlMs, publish } = this.config;
        const args = [token, fence, body(), String(resultTtlMs), names.channel, String(INLINE_BYTES), RETRY_BODY, publish];
        const reply = this.commands.eval(SETTLE, keysOf(names), args, 'SETTLE');
        settled(reply.then((answer) => {
          if (answer === 0 && fence !== '') this.counters.staleResults++;
        }));
      } catch {
        // as a SETTLE that failed: the lease expires (encodeOutcome and eval do not throw)
      } finally {
        settled(undefined); // (no effect once settled above)
        if (this.#lastSent.get(names.lease) === sent) this.#lastSent.delete(names.lease);
        markSent();
      }
    });
  }
}
