export { SharedCall } from './shared-call.js';
export { shared } from './process-default.js';
export { ReentrantCallError } from './reentrant-call-error.js';
export type { SharedCallHandle } from './handle.js';
export type { SharedCallOptions, SyncCallOptions } from './options.js';
export type { SyncWorkersStats } from './stats.js';
export type { CallInfo, Coalesced, GroupOptions, GroupWrapper } from '@shared-call/core';
