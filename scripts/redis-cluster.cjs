// Starts a throwaway Redis Cluster for tests: three masters, no replicas, on 127.0.0.1 at free ports (cluster
// bus ports too), files in a temporary folder, all removed by `stop()`. Built from redis-server.cjs's servers
// (installed with apt-get if absent) and joined by `redis-cli --cluster create`.
'use strict';
const { freePort } = require('./redis-server.cjs');
const { cli, until, withServers } = require('./redis-topology.cjs');

const MASTERS = 3;

/**
 * Starts a three-master Redis Cluster and resolves once every node reports `cluster_state:ok`, with
 * `{ nodes: [{ host, port }], stop() }`. `stop()` kills the servers and removes their files.
 */
function startRedisCluster({ timeoutMs = 30_000 } = {}) {
  return withServers('cluster', async ({ dir, start }) => {
    const servers = [];
    for (let i = 0; i < MASTERS; i++) {
      const bus = String(await freePort());
      const args = ['--cluster-enabled', 'yes', '--cluster-port', bus, '--cluster-node-timeout', '2000'];
      servers.push(await start({ args: [...args, '--cluster-config-file', `nodes-${i}.conf`], cwd: dir }));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await cli(undefined, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], timeoutMs);
    const ok = (port) => cli(port, ['CLUSTER', 'INFO']).then((info) => info.includes('cluster_state:ok'));
    await until(async () => (await Promise.all(servers.map((s) => ok(s.port)))).every(Boolean), timeoutMs, 'cluster not ready');
    return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })) };
  });
}

module.exports = { startRedisCluster };
