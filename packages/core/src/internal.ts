// `@shared-call/core/internal`: the building blocks that @shared-call/sync-workers, @shared-call/redis and
// @shared-call/opentelemetry share with core. Not for applications: any of it may change in any release, so each
// sibling package depends on the exact core version it was released with. The siblings run on Node, so this entry
// installs Node's content hashing (automatic keys of non-plain objects), whichever entry of core the app imports.
import './node-content-hash.js';

export { armAlarm, raceAlarm, type AlarmHandlers, type AlarmTriggers } from './alarm.js';
export { controllerFor, timeoutError, type Cancellation } from './cancellation.js';
export { settle, settleAsync, type Outcome } from './outcome.js';
export { createGroup, type GroupBackend } from './group.js';
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
export {
  decodeError,
  encodeError,
  encodeErrorExactly,
  type EncodedError,
  type EncodedErrorParts,
} from './error-codec.js';
export { argumentKey, argumentsKey, functionLabel, identityOf, instanceKey } from './keys.js';
export { stableLabel } from './stable-label.js';
export { statsSnapshot } from './stats.js';
export { withCode } from './error-code.js';
export {
  assertFunction,
  assertKey,
  assertOptions,
  checkInteger,
  checkTimeout,
  describe,
  invalidType,
  MAX_TIMEOUT_MS,
  outOfRange,
  quote,
} from './validate.js';
