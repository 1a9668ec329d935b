export { RedisSharedCall, type RedisCallInfo } from './redis-shared-call.js';
export { RedisTimeoutError } from './redis-timeout.js';
export type { FlightContext, FlightFn } from './flight.js';
export { adaptClient, type RedisConnection, type RedisSubscriber } from './connection.js';
export type { RedisSharedCallOptions } from './options.js';
export type { RedisSharedCallStats } from './stats.js';
