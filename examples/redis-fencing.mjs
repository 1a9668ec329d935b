// expect: with the fencing token: the stale write was refused, the row holds leader 2's value\. Without it: the stale write landed, the row holds leader 1's value\.
// A lease is for efficiency, not correctness: a leader frozen past its lease (a long GC pause, a stopped
// container) resumes and writes after a second leader has taken over. The fencing token `fn` receives grows with
// every lease of a key, so the database can refuse the late write: `UPDATE ... WHERE fence < ?`.
// Two replicas share a Redis and a SQLite file. Replica 1 leads and is frozen (SIGSTOP) before it writes; its lease
// lapses, replica 2 takes over and writes; replica 1 is resumed (SIGCONT) and writes too. Run once with the token
// in the WHERE clause and once without it.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisSharedCall } from '@shared-call/redis';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';

const LEASE_MS = 300;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (process.argv[2] === 'replica') {
  const [, , , port, file, mode, name] = process.argv;
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const fenced = db.prepare('UPDATE report SET value = ?, fence = ? WHERE id = 1 AND fence < ?');
  const unfenced = db.prepare('UPDATE report SET value = ?, fence = ? WHERE id = 1');
  const redis = new Redis({ port: Number(port), host: '127.0.0.1' });
  const sc = new RedisSharedCall({ redis, namespace: 'fencing-example', leaseMs: LEASE_MS });
  await redis.ping();
  process.send('ready');
  await new Promise((resolve) => process.once('message', resolve));
  await sc.call('report:1', async (signal, { fencingToken }) => {
    process.send('computing'); // replica 1 is frozen here by the parent
    await sleep(1000); // the slow computation
    const value = `${name}'s value`;
    const { changes } =
      mode === 'fenced' ? fenced.run(value, fencingToken, fencingToken) : unfenced.run(value, fencingToken);
    return changes;
  });
  process.send('done');
  await sc.close();
  redis.disconnect();
  db.close();
  process.disconnect();
} else {
  const { startRedisServer } = createRequire(import.meta.url)('../scripts/redis-server.cjs');
  const server = await startRedisServer();
  const dir = mkdtempSync(join(tmpdir(), 'shared-call-fencing-'));
  const next = (child, message) => new Promise((resolve) => child.on('message', (m) => m === message && resolve()));

  /** One run: leader 1 frozen past its lease, leader 2 takes over, leader 1 resumes. Returns the row's value. */
  async function run(mode) {
    const file = join(dir, `${mode}.db`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE report (id INTEGER PRIMARY KEY, value TEXT, fence INTEGER NOT NULL)');
    db.prepare("INSERT INTO report VALUES (1, 'initial', 0)").run();
    const replica = (name) => fork(fileURLToPath(import.meta.url), ['replica', String(server.port), file, mode, name]);
    const [one, two] = [replica('leader 1'), replica('leader 2')];
    await Promise.all([next(one, 'ready'), next(two, 'ready')]);
    one.send('go');
    await next(one, 'computing');
    one.kill('SIGSTOP'); // frozen before it writes: it stops renewing its lease
    two.send('go');
    await next(two, 'done'); // leader 2 waited for the lease to lapse, took over and wrote
    one.kill('SIGCONT'); // leader 1 resumes and writes with its older token
    await next(one, 'done');
    const { value } = db.prepare('SELECT value FROM report WHERE id = 1').get();
    db.close();
    return value;
  }

  try {
    const fenced = await run('fenced');
    const unfenced = await run('unfenced');
    const verdict = (value) => (value === "leader 2's value" ? 'refused' : 'landed');
    console.log(
      `with the fencing token: the stale write was ${verdict(fenced)}, the row holds ${fenced}. ` +
        `Without it: the stale write ${verdict(unfenced)}, the row holds ${unfenced}.`,
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
