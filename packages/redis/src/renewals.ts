/**
 * One timer for every lease this process renews. While at least one flight's `fn` runs holding its lease, an
 * interval of `everyMs` (a third of `leaseMs`) renews each such lease at every tick, so a lease is renewed at
 * most `everyMs` after it was won or last renewed, as scripts.ts and holder-watch.ts expect (one won just
 * before a tick is renewed early: one more RENEW, harmless). A flight that ends sooner costs an entry in a set,
 * not a timer of its own. The interval never keeps the process alive (unref) and stops at the first tick that
 * finds nothing to renew.
 */
export class Renewals {
  readonly #renewing = new Set<() => void>();
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly everyMs: number) {}

  /** Calls `renew` (a function of its own per lease) at every tick until the returned function is called. */
  add(renew: () => void): () => void {
    this.#renewing.add(renew);
    this.#timer ??= setInterval(() => this.#tick(), this.everyMs).unref();
    return () => this.#renewing.delete(renew);
  }

  #tick(): void {
    if (this.#renewing.size > 0) {
      for (const renew of this.#renewing) renew();
      return;
    }
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
