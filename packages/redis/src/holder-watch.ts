/**
 * What a waiter has seen of the lease it waits on, from the PTTLs that ACQUIRE reported: whether its holder
 * still renews it. A leader of this protocol renews every third of its lease, so the lease's expiry moves
 * later between two observations; a lease whose expiry has not moved for this instance's `leaseMs` is not
 * held by a live leader of this protocol (a process frozen past its lease, a lease planted by another client
 * with a huge `PX`) and may be taken over. That keeps every wait within the waiter's own bound whatever is in
 * Redis, and no timer is ever set beyond `leaseMs` (`setTimeout` fires at once past 2^31-1 ms).
 * Times are `performance.now()` milliseconds.
 */
export class HolderWatch {
  #holder: string | undefined;
  #fence: number | undefined;
  /** When a renewal by the holder was last seen (or the holder first seen). */
  #renewedAt = 0;
  /** When the lease expires at the latest, as last seen. */
  #expiresBy = 0;
  #lapsed = false;

  constructor(private readonly leaseMs: number) {}

  /**
   * Records that `holder` held the lease with `pttl` ms left and fencing token `fence`, according to an ACQUIRE
   * sent at `sentAt` and answered at `now`. The expiry moved (a renewal) if the earliest it can now be is past
   * the latest it could be before, whatever the round trips took.
   */
  observe(holder: string, pttl: number, fence: number | undefined, sentAt: number, now: number): void {
    const renewed = holder !== this.#holder || sentAt + pttl > this.#expiresBy;
    if (renewed) this.#renewedAt = now;
    this.#holder = holder;
    this.#fence = fence;
    this.#expiresBy = now + pttl;
    this.#lapsed = !renewed && now >= this.#renewedAt + this.leaseMs;
  }

  /** The fencing token of the holder last observed (`undefined` for a lease not taken by this protocol). */
  get fence(): number | undefined {
    return this.#fence;
  }

  /** True if the last observation showed the holder has not renewed its lease for `leaseMs`: take it over. */
  get lapsed(): boolean {
    return this.#lapsed;
  }

  /** How long to wait for the holder's message before asking again: until its lease expires or its renewal is overdue. */
  waitMs(now: number): number {
    return Math.max(0, Math.min(this.#expiresBy, this.#renewedAt + this.leaseMs) - now) + 2;
  }
}
