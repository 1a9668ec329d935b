import { AsyncSharedCall } from './async-shared-call.js';

export { AsyncSharedCall, type CallInfo } from './async-shared-call.js';
export { timeoutError, type CallOptions, type Cancellation } from './cancellation.js';
export {
  createGroup,
  forgetCall,
  keyOf,
  type Coalesced,
  type GroupBackend,
  type GroupMode,
  type GroupOptions,
  type GroupWrapper,
  type MethodName,
  type MethodParameters,
} from './group.js';
export { withCode, type ErrorCode } from './error-code.js';
export {
  decodeError,
  encodeError,
  type EncodedError,
  type EncodedErrorParts,
  type ErrorClasses,
} from './error-codec.js';
export { argumentKey, argumentsKey, functionLabel, identityOf, instanceKey } from './keys.js';
export { stableLabel } from './stable-label.js';
export { statsSnapshot, type SharedCallStats } from './stats.js';
export {
  assertFunction,
  assertKey,
  assertOptions,
  checkTimeout,
  describe,
  invalidType,
  MAX_TIMEOUT_MS,
  outOfRange,
} from './validate.js';

/** A ready, process-wide {@link AsyncSharedCall} for code that does not need an isolated instance. */
export const asyncShared = new AsyncSharedCall();
