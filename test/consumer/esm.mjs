// Every package and subpath from an ES module, as an app imports them.
import * as core from '@shared-call/core';
import { SharedCallInstrumentation } from '@shared-call/opentelemetry';
import { RedisSharedCall } from '@shared-call/redis';
import { shared } from '@shared-call/sync-workers';
import { createPool } from '@shared-call/sync-workers/piscina';
import { scenario } from './scenario.mjs';

let redis;
try {
  new RedisSharedCall({});
} catch (error) {
  redis = error.name;
}
console.log(JSON.stringify({
  scenario: await scenario(true),
  internalsHidden: !('createGroup' in core) && !('assertKey' in core),
  shared: await core.asyncShared.call('k', async () => 'v'),
  sync: shared.call('k', () => 42),
  createPool: typeof createPool,
  redis,
  instrumentation: new SharedCallInstrumentation({ enabled: false }).instrumentationName,
}));
