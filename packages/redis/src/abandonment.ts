/**
 * The signal a leader's `fn` receives. It aborts once every caller everywhere has left the flight: every
 * local caller (`local` aborted) and every waiting process (Redis counts none whose heartbeat has not lapsed);
 * never while Redis still counts one. The count is what RENEW reports (see scripts.ts), asked at once when the
 * last local caller leaves and then at every renewal; a lease that is no longer ours, or a Redis that does not
 * answer, counts as nobody waiting (nobody else could receive the result).
 */
export class Abandonment {
  readonly #controller = new AbortController();

  /** `check` asks Redis for the count and reports it to {@link waiting}. */
  constructor(
    private readonly local: AbortSignal,
    private readonly check: () => void,
  ) {
    local.addEventListener('abort', check, { once: true });
  }

  /** The signal for `fn`. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Records how many processes wait for the flight (0 if the lease is not ours or Redis failed). */
  waiting(count: number): void {
    if (count === 0 && this.local.aborted && !this.signal.aborted) this.#controller.abort(this.local.reason);
  }

  /** Stops listening to the local signal (`fn` has settled). */
  dispose(): void {
    this.local.removeEventListener('abort', this.check);
  }
}
