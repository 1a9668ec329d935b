// Starts a throwaway Sentinel setup for tests: a master, one replica and one Sentinel monitoring them as
// `mymaster` (quorum 1), on 127.0.0.1 at free ports, files in a temporary folder removed by `stop()`.
// `failover()` kills the master (SIGKILL) and resolves once the Sentinel has promoted the replica.
'use strict';
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { cli, until, withServers } = require('./redis-topology.cjs');

const NAME = 'mymaster';

/**
 * Starts master, replica and Sentinel; resolves once the replica is in sync and the Sentinel knows it, with
 * `{ name, sentinel: { host, port }, master(), failover(), stop() }`.
 */
function startRedisSentinel({ timeoutMs = 20_000 } = {}) {
  return withServers('sentinel', async ({ dir, start }) => {
    const master = await start();
    const replica = await start({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const synced = async () => (await cli(replica.port, ['INFO', 'replication'])).includes('master_link_status:up');
    await until(synced, timeoutMs, 'replica not in sync');
    const config = join(dir, 'sentinel.conf');
    const monitor = [`monitor ${NAME} 127.0.0.1 ${master.port} 1`, `down-after-milliseconds ${NAME} 1000`, `failover-timeout ${NAME} 5000`];
    writeFileSync(config, monitor.map((line) => `sentinel ${line}\n`).join(''));
    const sentinel = await start({ config, args: ['--sentinel'], cwd: dir });
    const knowsReplica = async () => (await cli(sentinel.port, ['SENTINEL', 'REPLICAS', NAME])).includes(String(replica.port));
    await until(knowsReplica, timeoutMs, 'Sentinel does not know the replica');
    const masterPort = async () => Number((await cli(sentinel.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME])).split('\n')[1]);
    const servers = [master, replica];
    return {
      name: NAME,
      sentinel: { host: '127.0.0.1', port: sentinel.port },
      master: masterPort,
      async failover() {
        const before = await masterPort();
        await servers.find((server) => server.port === before).stop();
        await until(async () => (await masterPort()) !== before, timeoutMs, 'no failover');
      },
    };
  });
}

module.exports = { startRedisSentinel };
