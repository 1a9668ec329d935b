import { AsyncSharedCall } from './async-shared-call.js';

// The public API: what an application needs. Every export here is a semver promise. Helpers that the sibling
// packages share live in ./internal.ts (`@shared-call/core/internal`), which makes no such promise.
export { AsyncSharedCall, type CallInfo } from './async-shared-call.js';
export type { CallOptions } from './cancellation.js';
export type { Coalescer, Delivered, FlightFunction } from './coalescer.js';
export {
  forgetCall,
  keyOf,
  type Coalesced,
  type GroupMode,
  type GroupOptions,
  type GroupWrapper,
  type MethodName,
  type MethodParameters,
} from './group.js';
export type { ErrorCode } from './error-code.js';
export type { ErrorClasses } from './error-codec.js';
export type { SharedCallStats } from './stats.js';
// The diagnostics channels' names and message types (docs/observability.md); the helpers that publish on them
// are on the internal entry.
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

/** A ready, process-wide {@link AsyncSharedCall} for code that does not need an isolated instance. */
export const asyncShared = new AsyncSharedCall();
