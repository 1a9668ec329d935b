/** Messages kept per flight while no one waits for their token; older ones are dropped. */
const CAPACITY = 8;

/**
 * The messages one waiting flight received on its channel, by leader token. Messages are collected from the
 * moment of SUBSCRIBE, so a result published before the waiter learned the leader's token is not lost.
 */
export class Inbox {
  readonly #bodies = new Map<string, string>();
  #waiter: { readonly token: string; readonly deliver: (body: string) => void } | undefined;

  /** Records a `token\nbody` message; malformed ones (no newline) are ignored. */
  push(message: string): void {
    const newline = message.indexOf('\n');
    if (newline < 0) return;
    const token = message.slice(0, newline);
    const body = message.slice(newline + 1);
    if (this.#waiter?.token === token) return this.#waiter.deliver(body);
    this.#bodies.set(token, body);
    if (this.#bodies.size > CAPACITY) this.#bodies.delete(this.#bodies.keys().next().value!);
  }

  /**
   * Resolves with the body for `token` (at once if it already arrived), or `undefined` after `ms`
   * milliseconds; rejects with the signal's reason if `signal` aborts first.
   */
  next(token: string, ms: number, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const stored = this.#bodies.get(token);
    if (stored !== undefined) {
      this.#bodies.delete(token);
      return Promise.resolve(stored);
    }
    return new Promise<string | undefined>((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#waiter = undefined;
      };
      const onAbort = () => {
        finish();
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        finish();
        resolve(undefined);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiter = {
        token,
        deliver: (body) => {
          finish();
          resolve(body);
        },
      };
    });
  }
}
