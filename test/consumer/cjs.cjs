// Every package and subpath from CommonJS, as an app requires them.
const core = require('@shared-call/core');
const { SharedCallInstrumentation } = require('@shared-call/opentelemetry');
const { RedisSharedCall } = require('@shared-call/redis');
const { shared } = require('@shared-call/sync-workers');
const { createPool } = require('@shared-call/sync-workers/piscina');

(async () => {
  let redis;
  try {
    new RedisSharedCall({});
  } catch (error) {
    redis = error.name;
  }
  const sc = new core.AsyncSharedCall();
  const byDate = sc.group()(async (when) => when.getTime());
  console.log(JSON.stringify({
    dateKey: await byDate(new Date(5)),
    internalsHidden: !('createGroup' in core) && !('assertKey' in core),
    shared: await core.asyncShared.call('k', async () => 'v'),
    sync: shared.call('k', () => 42),
    createPool: typeof createPool,
    redis,
    instrumentation: new SharedCallInstrumentation({ enabled: false }).instrumentationName,
  }));
})();
