// jest globalTeardown: stops the redis-server of redis-global-setup.cjs.
'use strict';

module.exports = async () => {
  await globalThis.__sharedCallRedisServer?.stop();
};
