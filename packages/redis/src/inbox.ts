import { armAlarm } from '@shared-call/core/internal';

/** Messages kept per flight while no one waits for them; the oldest are dropped beyond this. */
const CAPACITY = 16;

/**
 * The messages one waiting flight received on its channel, by leader token. Messages are collected from the
 * moment of SUBSCRIBE, so a result published before the waiter learned the leader's token is not lost.
 */
export class Inbox {
  /** Undelivered messages in arrival order. */
  readonly #queue: { readonly token: string; readonly body: string }[] = [];
  #waiter: { readonly token: string; readonly deliver: (body: string | undefined) => void } | undefined;
  /** Set by {@link interrupt} while no one waits: the next {@link next} returns `undefined` at once. */
  #interrupted = false;

  /** Records a `token\nbody` message; malformed ones (no newline) are ignored. */
  push(message: string): void {
    const newline = message.indexOf('\n');
    if (newline < 0) return;
    const token = message.slice(0, newline);
    const body = message.slice(newline + 1);
    if (this.#waiter?.token === token) return this.#waiter.deliver(body);
    this.#queue.push({ token, body });
    if (this.#queue.length > CAPACITY) this.#queue.shift();
  }

  /**
   * Messages may have been missed (the subscription was lost and re-established): the pending {@link next},
   * or the next one, resolves `undefined` at once, so the waiter reads the result key instead of sleeping.
   */
  interrupt(): void {
    if (this.#waiter === undefined) this.#interrupted = true;
    else this.#waiter.deliver(undefined);
  }

  /**
   * Resolves with the oldest undelivered body for `token` (at once if one already arrived), or `undefined`
   * after `ms` milliseconds or after {@link interrupt}; rejects with the signal's reason if `signal` aborts first.
   */
  next(token: string, ms: number, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const queued = this.#queue.findIndex((message) => message.token === token);
    if (queued >= 0) return Promise.resolve(this.#queue.splice(queued, 1)[0]!.body);
    if (this.#interrupted) {
      this.#interrupted = false;
      return Promise.resolve(undefined);
    }
    return new Promise<string | undefined>((resolve, reject) => {
      const finish = () => {
        release();
        if (this.#waiter === waiter) this.#waiter = undefined;
      };
      const release = armAlarm(
        { signal, timeoutMs: ms },
        {
          onAbort: (reason) => {
            finish();
            reject(reason);
          },
          onTimeout: () => {
            finish();
            resolve(undefined);
          },
        },
      );
      const waiter = {
        token,
        deliver: (body: string | undefined) => {
          // The waiter resumes first; its timer and abort listener are released once its microtasks have run
          // (either may still fire meanwhile: it then finds the promise settled and does nothing).
          this.#waiter = undefined;
          resolve(body);
          setImmediate(release);
        },
      };
      this.#waiter = waiter;
    });
  }
}
