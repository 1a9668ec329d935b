export { SharedCallInstrumentation, type SharedCallInstrumentationConfig } from './instrumentation.js';
export type { Instruments } from './metrics.js';
export { fromTraceparent, toTraceparent } from './traceparent.js';
