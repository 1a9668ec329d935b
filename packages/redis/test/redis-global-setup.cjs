// jest globalSetup: one redis-server for the whole run (installed with apt-get if absent), its port exported as
// SHARED_CALL_REDIS_PORT. If it cannot start, SHARED_CALL_REDIS_ERROR says why and only the Redis tests fail.
'use strict';
const { startRedisServer } = require('../../../scripts/redis-server.cjs');

module.exports = async () => {
  try {
    const server = await startRedisServer();
    globalThis.__sharedCallRedisServer = server;
    process.env.SHARED_CALL_REDIS_PORT = String(server.port);
  } catch (error) {
    process.env.SHARED_CALL_REDIS_ERROR = error.message;
  }
};
