export { describeCoalescer, type CoalescerSubject } from './coalescer-suite.js';
