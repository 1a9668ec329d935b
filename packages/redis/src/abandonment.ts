import { controllerFor } from '@shared-call/core/internal';

/**
 * The signal a leader's `fn` receives. It aborts once every caller everywhere has left the flight: every
 * local caller (`local` aborted) and every waiting process (Redis counts none whose heartbeat has not lapsed);
 * never while Redis still counts one. The count is what RENEW reports (see scripts.ts), asked at once when the
 * last local caller leaves and then at every renewal; a lease that is no longer ours, or a Redis that does not
 * answer, counts as nobody waiting (nobody else could receive the result). An `fn` that cannot observe an
 * argument (an arrow function with an empty parameter list, see core's `controllerFor`) gets no signal: it
 * could not stop, so its outcome is shared as if nobody had left, and Node's AbortSignal (~10 µs to create) is
 * spared.
 */
export class Abandonment {
  readonly #controller: AbortController | undefined;

  /** `check` asks Redis for the count and reports it to {@link waiting}. */
  constructor(
    private readonly local: AbortSignal,
    private readonly check: () => void,
    fn: (...args: never[]) => unknown,
  ) {
    this.#controller = controllerFor(fn);
    if (this.#controller !== undefined) local.addEventListener('abort', check, { once: true });
  }

  /** The signal for `fn` (`undefined` if `fn` cannot observe it). */
  get signal(): AbortSignal | undefined {
    return this.#controller?.signal;
  }

  /** True once `fn` was told to stop because everyone left. */
  get aborted(): boolean {
    return this.#controller?.signal.aborted ?? false;
  }

  /** Records how many processes wait for the flight (0 if the lease is not ours or Redis failed). */
  waiting(count: number): void {
    const controller = this.#controller;
    if (controller !== undefined && count === 0 && this.local.aborted && !controller.signal.aborted) {
      controller.abort(this.local.reason);
    }
  }

  /** Stops listening to the local signal (`fn` has settled). */
  dispose(): void {
    if (this.#controller !== undefined) this.local.removeEventListener('abort', this.check);
  }
}
