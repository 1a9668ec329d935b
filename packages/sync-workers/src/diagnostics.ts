import {
  flightContext,
  forgetChannel,
  joinChannel,
  overflowChannel,
  runTraced,
  settle,
  settleTraced,
  takeoverChannel,
  traceSync,
  type Outcome,
  type Settlement,
} from '@shared-call/core/internal';
import type { CallInfo, ForgetMessage, JoinMessage } from '@shared-call/core';

/**
 * What a SharedCall publishes on core's diagnostics channels, with the scope `'threads'`, in the thread that
 * makes the call (channels are per thread: a flight is traced in its leader's thread, a join in the joiner's).
 */

/** Publishes a call that joined a flight (led by any thread), or that runs alone because the table is full. */
export function publishEntry(key: string, role: 'join' | 'overflow'): void {
  if (role === 'join') {
    if (joinChannel.hasSubscribers) joinChannel.publish({ key, scope: 'threads' } satisfies JoinMessage);
  } else if (overflowChannel.hasSubscribers) {
    overflowChannel.publish({ key, scope: 'threads' });
  }
}

/** Publishes `forget(key)`, or `forgetAll()` when `key` is undefined. */
export function publishForget(key: string | undefined): void {
  if (forgetChannel.hasSubscribers) forgetChannel.publish({ key, scope: 'threads' } satisfies ForgetMessage);
}

/**
 * Runs `lead` — `fn` and the delivery of its outcome to the waiters — in a `shared-call:flight` trace when
 * someone listens. `takeover`: this caller replaces a leader whose thread died.
 */
export function leadTraced<T>(key: string, takeover: boolean, lead: () => CallInfo<T>): CallInfo<T> {
  publishTakeover(key, takeover);
  const context = flightContext(key, 'threads', { takeover });
  if (context === undefined) return lead();
  const led = traceSync(context, () => settle(lead), settlementOf);
  if (!led.ok) throw led.error;
  return led.value;
}

/** {@link leadTraced} for `callAsync`: `run` awaits `fn`, `deliver` hands its outcome to the waiters. */
export async function leadTracedAsync<O, T>(
  key: string,
  takeover: boolean,
  run: () => Promise<O>,
  deliver: (outcome: O) => CallInfo<T>,
): Promise<CallInfo<T>> {
  publishTakeover(key, takeover);
  const context = flightContext(key, 'threads', { takeover });
  if (context === undefined) return deliver(await run());
  const outcome = await runTraced(context, run);
  const delivered = settle(() => deliver(outcome));
  settleTraced(context, settlementOf(delivered));
  if (!delivered.ok) throw delivered.error;
  return delivered.value;
}

function publishTakeover(key: string, takeover: boolean): void {
  if (takeover && takeoverChannel.hasSubscribers) takeoverChannel.publish({ key, scope: 'threads' });
}

function settlementOf<T>(led: Outcome<CallInfo<T>>): Settlement {
  return led.ok
    ? { failed: false, outcome: led.value.value, shared: led.value.shared }
    : { failed: true, outcome: led.error, shared: false };
}
