/**
 * Runs `then` once the microtasks queued now have run — the callers of a flight that just settled receiving its
 * value, and whatever they do next without waiting for I/O — but before the event loop goes on to I/O or
 * timers: a `process.nextTick` queued from a microtask runs only after the microtask queue is empty. Work that
 * must not delay those callers (encoding and sending SETTLE, an UNSUBSCRIBE's write) waits for it, and no more.
 * Call it from a microtask (a continuation after `await`): queued from an I/O callback, it would run first.
 */
export function afterCallers(then: () => void): void {
  process.nextTick(then);
}
