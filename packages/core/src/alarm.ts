/**
 * The one timer-plus-abort race of the workspace: every bounded wait (a caller's `timeoutMs` and `signal` in
 * core, a Redis round trip, a Redis waiter's nap between messages) arms an alarm and releases it when the wait
 * ends, so no timer or abort listener outlives its wait.
 */

/** What may end a wait early. */
export interface AlarmTriggers {
  /** Calls `onAbort(signal.reason)` when it aborts (never at arming: callers check `signal.aborted` first). */
  readonly signal?: AbortSignal | undefined;
  /** Calls `onTimeout()` after this many milliseconds; `undefined` arms no timer. */
  readonly timeoutMs?: number | undefined;
  /**
   * Calls `onTimeout` one check phase late (`setImmediate`): after an event-loop stall Node runs expired timers
   * before it reads sockets, so a reply already sitting in a socket settles the wait first.
   */
  readonly afterPendingIO?: boolean;
}

/** What an alarm does when it goes off. */
export interface AlarmHandlers {
  readonly onTimeout?: () => void;
  readonly onAbort?: (reason: unknown) => void;
}

/**
 * Arms the timer and the abort listener of `triggers` and returns the function that disarms both (idempotent;
 * call it on every path that ends the wait). Each handler fires at most once and only while armed; the alarm
 * does not disarm itself, so a handler that declines to end the wait leaves the other trigger armed.
 */
export function armAlarm(
  { signal, timeoutMs, afterPendingIO = false }: AlarmTriggers,
  { onTimeout, onAbort }: AlarmHandlers,
): () => void {
  const abort = onAbort === undefined || signal === undefined ? undefined : () => onAbort(signal.reason);
  if (abort !== undefined) signal!.addEventListener('abort', abort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (onTimeout !== undefined && timeoutMs !== undefined) {
    timer = setTimeout(afterPendingIO ? () => setImmediate(onTimeout) : onTimeout, timeoutMs);
  }
  return () => {
    clearTimeout(timer);
    if (abort !== undefined) signal!.removeEventListener('abort', abort);
  };
}

/**
 * Settles like `promise` unless the alarm ends the wait first. `handlersFor(end)` gives the alarm's handlers;
 * `end(reason)` rejects the returned promise with `reason` (a handler may also decline and keep waiting). The
 * alarm is released however the wait ends.
 */
export function raceAlarm<T>(
  promise: Promise<T>,
  triggers: AlarmTriggers,
  handlersFor: (end: (reason: unknown) => void) => AlarmHandlers,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const end = (reason: unknown) => {
      release();
      reject(reason);
    };
    const release = armAlarm(triggers, handlersFor(end));
    promise.then((value) => {
      release();
      resolve(value);
    }, end);
  });
}
