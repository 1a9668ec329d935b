import { performance } from 'node:perf_hooks';
import type { Attempt, Commands } from './commands.js';
import type { FlightFn, Settled } from './flight.js';
import type { HolderWatch } from './holder-watch.js';
import type { Inbox } from './inbox.js';
import type { Leader } from './leader.js';
import type { FlightNames } from './names.js';
import type { Config } from './options.js';
import { decodeBody, type Envelope } from './payload.js';
import type { AcquireReply, Won } from './replies.js';
import { Takeover } from './scripts.js';
import type { Counters } from './stats.js';

/** What a waiting flight shares with the rest of its coordinator. */
export interface WaiterDeps {
  readonly config: Config;
  readonly counters: Counters;
  readonly commands: Commands;
  readonly leader: Leader;
}

/**
 * The waiter's side of the protocol (step 3 in coordinator.ts) for one local flight that found the lease held
 * and is subscribed to the key's channel: ask again, then wait for the holder's message until its lease would
 * expire or its renewal is overdue, and ask again, until the flight's result arrives or this flight leads.
 */
export class Waiter<T> {
  constructor(
    private readonly deps: WaiterDeps,
    private readonly names: FlightNames,
    private readonly token: string,
    private readonly fn: FlightFn<T>,
    private readonly signal: AbortSignal,
    private readonly inbox: Inbox,
    private readonly watch: HolderWatch,
    /** Drops the subscription; idempotent (called before running `fn`, and again by the coordinator). */
    private readonly release: () => void,
  ) {}

  /** Waits until the flight of `holder` (or of its successors) settles, or leads. */
  async until(holder: string): Promise<Settled<T>> {
    const { names, token, inbox, watch, signal } = this;
    const { commands } = this.deps;
    let awaited = holder;
    for (;;) {
      const attempt = commands.acquire(names, token, awaited, watch.lapsed ? Takeover.ifAwaited : Takeover.never);
      let reply: AcquireReply;
      try {
        reply = await attempt.reply;
      } catch {
        return this.#lead(attempt, false);
      }
      if (reply.kind === 'lead') return this.#lead(reply, true);
      if (reply.kind === 'held' && reply.pttl < 0) {
        return this.#runLocally(); // a lease without expiry was not written by this protocol: waiting on it could be forever
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
            body = await commands.fetch(names, awaited);
          } catch {
            return this.#runLocally();
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
          return this.#runLocally();
        case 'retry':
          awaited = '';
      }
    }
  }

  #lead(lease: Won | Attempt, takeover: boolean): Promise<Settled<T>> {
    this.release();
    return this.deps.leader.lead(this.names, this.token, this.fn, this.signal, lease, takeover);
  }

  #runLocally(): Promise<Settled<T>> {
    this.release();
    return this.deps.leader.runLocally(this.names, this.fn, this.signal);
  }

  /** The body's envelope, or `undefined` (counted in `invalidPayloads`) if it is malformed or unsafe. */
  #decode(body: string): Envelope | undefined {
    try {
      return decodeBody(body, this.deps.config);
    } catch {
      this.deps.counters.invalidPayloads++;
      return undefined;
    }
  }
}
