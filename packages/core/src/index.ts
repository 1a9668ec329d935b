import { AsyncSharedCall } from './async-shared-call.js';

// The public API: what an application needs. Every export here is a semver promise. Helpers that the sibling
// packages share live in ./internal.ts (`@shared-call/core/internal`), which makes no such promise.
export { AsyncSharedCall, type CallInfo } from './async-shared-call.js';
export type { CallOptions } from './cancellation.js';
export type { Coalesced, GroupMode, GroupOptions, GroupWrapper } from './group.js';
export type { ErrorClasses } from './error-codec.js';
export type { SharedCallStats } from './stats.js';

/** A ready, process-wide {@link AsyncSharedCall} for code that does not need an isolated instance. */
export const asyncShared = new AsyncSharedCall();
