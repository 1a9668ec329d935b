// Starts a throwaway Sentinel setup for tests: a master, one replica and one Sentinel monitoring them as
// `mymaster` (quorum 1), on 127.0.0.1 at free ports, files in a temporary folder removed by `stop()`.
// `failover()` kills the master (SIGKILL) and resolves once the Sentinel has promoted the replica.
'use strict';
const { execFile } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { startRedisServer } = require('./redis-server.cjs');

const run = promisify(execFile);
const NAME = 'mymaster';

/** Runs a redis-cli command against 127.0.0.1:`port` and resolves with its output. */
async function cli(port, ...args) {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 5000 });
  return stdout.trim();
}

/** Polls `check` every 50 ms until it resolves true; rejects after `timeoutMs` with `what`. */
async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts master, replica and Sentinel; resolves once the replica is in sync and the Sentinel knows both, with
 * `{ name, sentinel: { host, port }, master(), failover(), stop() }`.
 */
async function startRedisSentinel({ timeoutMs = 20_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shared-call-sentinel-'));
  const servers = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const master = await startRedisServer();
    servers.push(master);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    servers.push(replica);
    await until(async () => (await cli(replica.port, 'INFO', 'replication')).includes('master_link_status:up'), timeoutMs, 'replica not in sync');
    const config = join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `sentinel monitor ${NAME} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${NAME} 1000`,
        `sentinel failover-timeout ${NAME} 5000`,
        '',
      ].join('\n'),
    );
    const sentinel = await startRedisServer({ config, args: ['--sentinel'], cwd: dir });
    servers.push(sentinel);
    await until(async () => (await cli(sentinel.port, 'SENTINEL', 'REPLICAS', NAME)).includes(String(replica.port)), timeoutMs, 'Sentinel does not know the replica');
    const masterPort = async () => Number((await cli(sentinel.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', NAME)).split('\n')[1]);
    return {
      name: NAME,
      sentinel: { host: '127.0.0.1', port: sentinel.port },
      /** The port of the current master, as the Sentinel reports it. */
      master: masterPort,
      async failover() {
        const before = await masterPort();
        await servers.find((server) => server.port === before).stop();
        await until(async () => (await masterPort()) !== before, timeoutMs, 'no failover');
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { startRedisSentinel };
