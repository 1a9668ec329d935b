/**
 * Resolves once the microtasks queued now have run — the callers of a flight that just settled receiving its
 * value, and whatever they do next without waiting for I/O — but before the event loop goes on to I/O or
 * timers: a `process.nextTick` queued from a microtask runs only after the microtask queue is empty. Work that
 * must not delay those callers (encoding and sending SETTLE, an UNSUBSCRIBE's write) waits for it, and no more.
 */
export function afterCallers(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}
