import {
  abandonChannel,
  flightContext,
  forgetChannel,
  joinChannel,
  outerScopeOf,
  settleTraced,
  type AbandonMessage,
  type ForgetMessage,
  type JoinMessage,
} from './diagnostics.js';
import type { Flight } from './flight.js'; // any: a flight of any result type

/**
 * What an AsyncSharedCall publishes about its flights (see diagnostics.ts), with the scope `'process'` unless
 * it is the in-process layer of another coalescer.
 */

/** Gives `flight` a trace context when someone listens to `shared-call:flight`; true if it did. */
export function traceFlight(coalescer: object, flight: Flight<any>): boolean {
  const context = flightContext(flight.key, 'process'); // undefined, at the cost of a few reads, if nobody listens
  if (context === undefined || outerScopeOf(coalescer) !== undefined) return false;
  flight.trace = context;
  return true;
}

/** Ends the trace of a traced flight whose `fn` settled. */
export function traceSettlement(flight: Flight<any>, failed: boolean, outcome: unknown): void {
  settleTraced(flight.trace!, { failed, outcome, shared: flight.waiting > 1, callers: flight.waiting });
}

/** Publishes a caller joining `flight` (call it once `joinChannel.hasSubscribers`). */
export function publishJoin(coalescer: object, flight: Flight<any>, waiter: object | undefined): void {
  const message: JoinMessage = { key: flight.key, scope: outerScopeOf(coalescer) ?? 'process', flight: flight.trace, waiter };
  joinChannel.publish(message);
}

/** Publishes a caller abandoning `flight`, before it is counted out. */
export function publishAbandon(coalescer: object, flight: Flight<any>, waiter: object, reason: unknown): void {
  if (!abandonChannel.hasSubscribers) return;
  const scope = outerScopeOf(coalescer) ?? 'process';
  const message: AbandonMessage = { key: flight.key, scope, flight: flight.trace, waiter, reason, last: flight.waiting === 1 };
  abandonChannel.publish(message);
}

/** Publishes `forget(key)`, or `forgetAll()` when `key` is undefined. */
export function publishForget(coalescer: object, key: string | undefined): void {
  if (!forgetChannel.hasSubscribers) return;
  const message: ForgetMessage = { key, scope: outerScopeOf(coalescer) ?? 'process' };
  forgetChannel.publish(message);
}
