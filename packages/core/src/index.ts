import { AsyncSharedCall } from './async-shared-call.js';

export { AsyncSharedCall, type CallInfo } from './async-shared-call.js';
export { timeoutError, type CallOptions, type Cancellation } from './cancellation.js';
export {
  createGroup,
  type Coalesced,
  type GroupBackend,
  type GroupMode,
  type GroupOptions,
  type GroupWrapper,
} from './group.js';
export {
  decodeError,
  encodeError,
  type EncodedError,
  type EncodedErrorParts,
  type ErrorClasses,
} from './error-codec.js';
// Diagnostics: the channel names and message types are public (docs/observability.md); the helpers below them
// are for the sibling packages only, and belong on core's internal entry once it exists.
export {
  CHANNELS,
  type AbandonMessage,
  type FlightContext,
  type ForgetMessage,
  type JoinMessage,
  type RemoteLeader,
  type RemoteWait,
  type Scope,
} from './diagnostics.js';
export {
  flightContext,
  forgetChannel,
  joinChannel,
  outerScopeOf,
  overflowChannel,
  publishAsPartOf,
  remoteWaitContext,
  runTraced,
  settleTraced,
  takeoverChannel,
  traceRemoteWait,
  traceSync,
  type Settlement,
} from './diagnostics.js';
export { argumentKey, argumentsKey, functionLabel, identityOf, instanceKey } from './keys.js';
export { stableLabel } from './stable-label.js';
export { statsSnapshot, type SharedCallStats } from './stats.js';
export { assertFunction, assertKey, assertOptions, checkTimeout, describe, MAX_TIMEOUT_MS } from './validate.js';

/** A ready, process-wide {@link AsyncSharedCall} for code that does not need an isolated instance. */
export const asyncShared = new AsyncSharedCall();
