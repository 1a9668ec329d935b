// What redis-cluster.cjs and redis-sentinel.cjs share: a group of redis-server processes with a temporary folder,
// redis-cli calls, and bounded polling.
'use strict';
const { execFile } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { promisify } = require('node:util');
const { startRedisServer } = require('./redis-server.cjs');

const run = promisify(execFile);

/** Runs `redis-cli -h 127.0.0.1 -p port ...args` (or without `-p` when `port` is undefined); resolves with stdout. */
async function cli(port, args, timeoutMs = 5000) {
  const target = port === undefined ? [] : ['-h', '127.0.0.1', '-p', String(port)];
  const { stdout } = await run('redis-cli', [...target, ...args], { timeout: timeoutMs });
  return stdout.trim();
}

/** Polls `check` every 50 ms until it resolves true (a rejection counts as false); rejects after `timeoutMs`. */
async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Runs `build({ dir, start })`, where `start(options)` is startRedisServer's and `dir` a fresh temporary folder,
 * and resolves with `{ ...built, stop() }`; `stop()` kills every server started and removes the folder. If
 * `build` fails, that is done at once and the error rethrown.
 */
async function withServers(name, build) {
  const dir = mkdtempSync(join(tmpdir(), `shared-call-${name}-`));
  const servers = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  const start = async (options) => {
    const server = await startRedisServer(options);
    servers.push(server);
    return server;
  };
  try {
    return { ...(await build({ dir, start })), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

module.exports = { cli, until, withServers };
