import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAll, freshNamespace, redisPort, sleep } from './helpers';
import { Caller, killCallers } from './processes';

/** better-sqlite3 (no type declarations installed): the calls used here. */
interface Sqlite {
  pragma(pragma: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...values: unknown[]): unknown; get(): unknown };
  close(): void;
}
const Database: new (file: string) => Sqlite = require('better-sqlite3');

afterEach(async () => {
  killCallers();
  await closeAll();
});

interface Executing {
  type: 'executing';
  token: number;
  at: number;
}
interface Outcome {
  value?: { by: number; token: number; wrote: number };
  fencingToken?: number;
  error?: string;
}
interface Result {
  type: 'result';
  outcomes: Outcome[];
}

const leaseMs = 400;
const calls = 5;

/** Worker processes (fixtures/fenced-worker.cjs) of one namespace, writing to the SQLite file `db`. */
async function workers(count: number, namespace: string, db: string): Promise<Caller[]> {
  const started = Array.from(
    { length: count },
    () => new Caller({ port: redisPort(), namespace, leaseMs, db }, 'fenced-worker.cjs'),
  );
  await Promise.all(started.map((worker) => worker.next('ready', 20_000)));
  return started;
}

/** Starts `calls` calls of `key` in each worker; resolves with the worker whose fn runs, and its token. */
async function startRound(group: Caller[], key: string): Promise<{ leader: Caller; token: number }> {
  for (const worker of group) worker.child.send({ type: 'call', key, calls });
  return firstExecuting(group, 10_000);
}

/** The first worker of `group` to report an execution of fn from now on (others' reports are left unread). */
function firstExecuting(group: Caller[], ms: number): Promise<{ leader: Caller; token: number }> {
  return new Promise((resolve, reject) => {
    const listeners = group.map((worker) => {
      const listener = (message: Executing) => {
        if (message.type !== 'executing') return;
        stop();
        resolve({ leader: worker, token: message.token });
      };
      worker.child.on('message', listener);
      return () => worker.child.off('message', listener);
    });
    const timer = setTimeout(() => (stop(), reject(new Error(`no execution within ${ms} ms`))), ms);
    const stop = () => {
      clearTimeout(timer);
      listeners.forEach((off) => off());
    };
  });
}

describe('fault injection: processes frozen (SIGSTOP) and killed (SIGKILL) mid-flight (issue 14)', () => {
  test('tokens only grow, stale results and writes are refused, work is aborted only when all callers left', async () => {
    const namespace = freshNamespace();
    const key = 'contended';
    const file = join(mkdtempSync(join(tmpdir(), 'fault-injection-')), 'resource.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE resource (id INTEGER PRIMARY KEY, writer INTEGER, fence INTEGER NOT NULL)');
    db.prepare('INSERT INTO resource VALUES (1, 0, 0)').run();
    const row = () => db.prepare('SELECT writer, fence FROM resource WHERE id = 1').get();
    let group = await workers(4, namespace, file);
    const tokens: number[] = [];
    const grew = (token: number) => {
      expect(Number.isSafeInteger(token) && token > (tokens.at(-1) ?? 0)).toBe(true);
      tokens.push(token);
    };

    for (let round = 0; round < 9; round++) {
      const kind = ['freeze', 'kill', 'abandon'][round % 3];
      const { leader, token } = await startRound(group, key);
      grew(token);
      const others = group.filter((worker) => worker !== leader);

      if (kind === 'abandon') {
        // Every caller leaves, one process after another; the leader's process leaves first or last.
        const order = round % 2 ? [leader, ...others] : [...others, leader];
        let lastLeftAt = 0;
        for (const [i, worker] of order.entries()) {
          worker.child.send({ type: 'leave' });
          lastLeftAt = (await worker.next<{ type: 'left'; at: number }>('left', 5000)).at;
          if (i < order.length - 1) await sleep(leaseMs / 2); // not yet aborted: one caller remains
        }
        const aborted = await leader.next<{ type: 'aborted'; at: number }>('aborted', 3 * leaseMs);
        expect(aborted.at).toBeGreaterThanOrEqual(lastLeftAt); // never while a caller remained
        expect(aborted.at - lastLeftAt).toBeLessThan(leaseMs + leaseMs / 3 + 500); // the bound, plus scheduling
        for (const worker of group) {
          const { outcomes } = await worker.next<Result>('result', 5000);
          expect(outcomes.every((outcome) => outcome.error === 'left')).toBe(true);
        }
        continue;
      }

      // The leader stops renewing: frozen (resumed later) or killed. One waiter takes over with a larger token.
      leader.child.kill(kind === 'freeze' ? 'SIGSTOP' : 'SIGKILL');
      const takeover = await firstExecuting(others, 3 * leaseMs + 5000);
      grew(takeover.token);
      takeover.leader.child.send({ type: 'finish' });
      const waiters = others.filter((worker) => worker !== takeover.leader);
      for (const worker of [takeover.leader, ...waiters]) {
        const { outcomes } = await worker.next<Result>('result', 5000);
        // Every caller in every live process gets the takeover's value and token, never the stale leader's.
        const value = { by: takeover.leader.child.pid, token: takeover.token, wrote: 1 };
        expect(outcomes).toEqual(Array(calls).fill({ value, fencingToken: takeover.token }));
      }
      expect(row()).toEqual({ writer: takeover.leader.child.pid, fence: takeover.token });
      if (kind === 'freeze') {
        leader.child.kill('SIGCONT');
        leader.child.send({ type: 'finish' });
        const { outcomes } = await leader.next<Result>('result', 5000);
        // Its own callers get its value; Redis refused it for everyone else, the resource refused its write.
        const value = { by: leader.child.pid, token, wrote: 0 };
        expect(outcomes).toEqual(Array(calls).fill({ value, fencingToken: token }));
        expect(row()).toEqual({ writer: takeover.leader.child.pid, fence: takeover.token });
        await sleep(200); // its SETTLE, not awaited by its callers
        leader.child.send({ type: 'stats' });
        const { stats } = await leader.next<{ type: 'stats'; stats: { staleResults: number } }>('stats', 5000);
        expect(stats.staleResults).toBeGreaterThanOrEqual(1);
      } else {
        group = [...others, ...(await workers(1, namespace, file))];
      }
    }
    expect(tokens).toHaveLength(15);
    db.close();
  }, 90_000);
});
