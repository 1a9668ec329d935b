export { describeCoalescer, type CoalescerSubject } from './coalescer-suite.js';
export { inThread, workerCallers, type CallerDriver } from './callers.js';
export { recordDiagnostics, type ChannelMessages } from './diagnostics.js';
export { expectFaithfulCopy } from './errors.js';
