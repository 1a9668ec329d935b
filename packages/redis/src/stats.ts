import type { SharedCallStats } from '@shared-call/core';
import { statsSnapshot } from '@shared-call/core/internal';

/**
 * Core's counters, seen from this process, plus what is particular to Redis. `misses` counts executions of
 * `fn` in this process; `hits` counts calls that received a result without executing `fn` here, whether they
 * joined a flight of this process or one led by another process. `errors` counts flights of this process
 * that ended with `fn`'s error, wherever `fn` ran; as in core, not a flight every local caller abandoned, nor
 * a wait for another process's flight that every local caller stopped.
 */
export interface RedisSharedCallStats extends SharedCallStats {
  /** Calls whose result came from a flight led by another process. */
  readonly remoteHits: number;
  /**
   * Executions run here without cross-process coordination: Redis failed or timed out, a lease had no expiry,
   * or the leader's result could not be shared (not plain data, or over `maxResultBytes`).
   */
  readonly fallbacks: number;
  /** Executions started here after the leader this process waited for crashed or gave up its flight. */
  readonly takeovers: number;
  /** Messages or stored results read from Redis and refused as malformed or unsafe. */
  readonly invalidPayloads: number;
  /**
   * Results of this process's flights that Redis refused because a later lease of the key had been taken
   * (this leader stalled past its lease, or `forget` elsewhere): its own callers received them, no other
   * process did.
   */
  readonly staleResults: number;
}

/** The raw counters a {@link RedisSharedCall} keeps beside its local coalescer's. */
export class Counters {
  executions = 0;
  remoteHits = 0;
  errors = 0;
  fallbacks = 0;
  takeovers = 0;
  invalidPayloads = 0;
  staleResults = 0;

  /** Zeroes every counter. */
  reset(): void {
    this.executions = this.remoteHits = this.errors = this.fallbacks = this.takeovers = 0;
    this.invalidPayloads = this.staleResults = 0;
  }

  /** The stats snapshot, given the local coalescer's joins and live flight count. */
  snapshot(localHits: number, active: number): RedisSharedCallStats {
    const { executions, remoteHits, fallbacks, takeovers, invalidPayloads, staleResults } = this;
    return {
      ...statsSnapshot(localHits + remoteHits, executions, this.errors, active),
      remoteHits,
      fallbacks,
      takeovers,
      invalidPayloads,
      staleResults,
    };
  }
}
