// Starts throwaway redis-server processes for tests, benchmarks and examples: on 127.0.0.1, a free port, no
// persistence, stopped by `stop()`. Installs redis-server with apt-get first when it is not on PATH (as root,
// non-interactive), so a fresh machine needs nothing but `pnpm install`.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const net = require('node:net');
const { delimiter, join } = require('node:path');

/** True if `redis-server` is on PATH. */
function hasRedisServer() {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, 'redis-server')));
}

/** Installs redis-server with apt-get unless it is on PATH; throws with the reason if that is impossible. */
function ensureRedisServer() {
  if (hasRedisServer()) return;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error('redis-server is not installed and only root can install it: apt-get install -y redis-server');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
  run(['update', '-qq']);
  run(['install', '-y', '-qq', 'redis-server']);
  if (!hasRedisServer()) throw new Error('apt-get installed redis-server but it is still not on PATH');
}

/** A TCP port that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts redis-server (installing it if needed) and resolves once it accepts connections, with
 * `{ port, pid, stop() }`. `stop()` ends it with SIGKILL (nothing to save) and resolves when it has exited.
 * Pass `port` to restart a server on the port of one that was stopped, `args` for more redis-server options
 * (e.g. persistence: `['--dir', dir, '--appendonly', 'yes']`).
 */
async function startRedisServer({ port, timeoutMs = 10_000, args = [] } = {}) {
  ensureRedisServer();
  for (let attempt = 0; ; attempt++) {
    const chosen = port ?? (await freePort());
    try {
      return await launch(chosen, timeoutMs, args);
    } catch (error) {
      if (port !== undefined || attempt >= 4) throw error; // a free port may have been taken meanwhile
    }
  }
}

function launch(port, timeoutMs, extra) {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extra];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.ref(); // unref'd while running; the exit event must keep this process alive
      child.kill('SIGKILL');
    }
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (reason) => {
      clearTimeout(timer);
      stop().then(() => reject(new Error(`redis-server on port ${port} ${reason}:\n${output.slice(-2000)}`)));
    };
    const timer = setTimeout(() => fail(`not ready within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume(); // keep draining so the server never blocks on a full pipe
      child.stderr.resume();
      child.unref();
      child.stdout.unref?.();
      child.stderr.unref?.();
      resolve({ port, pid: child.pid, stop });
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.once('error', (error) => fail(`could not start (${error.message})`));
  });
}

module.exports = { ensureRedisServer, hasRedisServer, startRedisServer };
