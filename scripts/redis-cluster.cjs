// Starts a throwaway Redis Cluster for tests: three masters, no replicas, on 127.0.0.1 at free ports (cluster
// bus ports too), files in a temporary folder, all removed by `stop()`. Built from redis-server.cjs's servers
// (installed with apt-get if absent) and joined by `redis-cli --cluster create`.
'use strict';
const { execFile } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { freePort, startRedisServer } = require('./redis-server.cjs');

const run = promisify(execFile);
const MASTERS = 3;

/** Resolves once every node reports `cluster_state:ok`; rejects after `timeoutMs`. */
async function clusterReady(ports, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      ports.map((port) =>
        run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'CLUSTER', 'INFO'], { timeout: 5000 }).then(
          ({ stdout }) => stdout.includes('cluster_state:ok'),
          () => false,
        ),
      ),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster on ports ${ports} not ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts a three-master Redis Cluster and resolves once every slot is served, with
 * `{ nodes: [{ host, port }], stop() }`. `stop()` kills the servers and removes their files.
 */
async function startRedisCluster({ timeoutMs = 30_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shared-call-cluster-'));
  const servers = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < MASTERS; i++) {
      const busPort = await freePort();
      const args = ['--cluster-enabled', 'yes', '--cluster-port', String(busPort), '--cluster-node-timeout', '2000'];
      servers.push(await startRedisServer({ args: [...args, '--cluster-config-file', `nodes-${i}.conf`], cwd: dir }));
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: timeoutMs,
    });
    await clusterReady(servers.map((server) => server.port), timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: servers.map((server) => ({ host: '127.0.0.1', port: server.port })), stop };
}

module.exports = { startRedisCluster };
