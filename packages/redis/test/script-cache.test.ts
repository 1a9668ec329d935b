import fc from 'fast-check';
import type { RedisConnection } from '@shared-call/redis';
import { isNoScript, ScriptCache } from '../src/script-cache.js';

/**
 * A Redis of one connection, in memory: commands run in the order they were sent, one per {@link step}.
 * EVALSHA of a script it does not have fails with NOSCRIPT; {@link flushScripts} forgets every script.
 */
class FakeRedis implements RedisConnection {
  readonly #wire: { run: () => void }[] = [];
  readonly #scripts = new Set<string>();
  /** What ran, by key: the first argument of each script call, in the order Redis ran them. */
  readonly ran = new Map<string, string[]>();
  evals = 0;
  loads = 0;
  failLoads = false;

  eval(script: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    this.evals++;
    return this.#enqueue(() => {
      this.#scripts.add(sha1Of(script)); // as Redis does: EVAL caches the script
      return this.#run(keys, args);
    });
  }

  evalsha(sha1: string, keys: readonly string[], args: readonly string[]): Promise<unknown> {
    return this.#enqueue(() => {
      if (!this.#scripts.has(sha1)) throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      return this.#run(keys, args);
    });
  }

  loadScripts(scripts: readonly string[]): Promise<void> {
    this.loads++;
    return this.#enqueue(() => {
      if (this.failLoads) throw new Error('connection lost');
      for (const script of scripts) this.#scripts.add(sha1Of(script));
    }) as Promise<void>;
  }

  subscriber(): never {
    throw new Error('not used');
  }

  flushScripts(): void {
    this.#scripts.clear();
  }

  /** Another client loads the scripts (its SCRIPT LOAD or EVAL lands between two commands of this one). */
  loadedElsewhere(): void {
    for (const script of SCRIPTS) this.#scripts.add(sha1Of(script));
  }

  /** Runs the oldest command sent; false if none is waiting. */
  step(): boolean {
    const next = this.#wire.shift();
    next?.run();
    return next !== undefined;
  }

  get waiting(): number {
    return this.#wire.length;
  }

  #run(keys: readonly string[], args: readonly string[]): string {
    const ran = this.ran.get(keys[0]!) ?? this.ran.set(keys[0]!, []).get(keys[0]!)!;
    ran.push(args[0]!);
    return 'ok ' + args[0];
  }

  #enqueue(command: () => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#wire.push({
        run: () => {
          try {
            resolve(command());
          } catch (error) {
            reject(error);
          }
        },
      });
    });
  }
}

const SCRIPTS = ['return 1 -- acquire', 'return 2 -- settle'];

function sha1Of(script: string): string {
  return require('node:crypto').createHash('sha1').update(script).digest('hex');
}

/** Lets every promise callback queued so far run (the cache hands commands over one microtask later). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Steps the fake Redis until nothing is waiting and nothing more is sent. */
async function drain(redis: FakeRedis): Promise<void> {
  for (;;) {
    await settle();
    if (!redis.step()) {
      await settle();
      if (redis.waiting === 0) return;
    }
  }
}

describe('ScriptCache: scripts by SHA1, in order or not at all', () => {
  test('the first commands go by EVAL while the scripts load (no extra round trip), then every one by SHA1', async () => {
    const redis = new FakeRedis();
    const cache = new ScriptCache(redis, SCRIPTS);
    const replies = [cache.send(SCRIPTS[0]!, ['k'], ['1']), cache.send(SCRIPTS[1]!, ['k'], ['2'])];
    await drain(redis);
    await expect(Promise.all(replies)).resolves.toEqual(['ok 1', 'ok 2']);
    expect([redis.loads, redis.evals]).toEqual([1, 2]);
    const later = [cache.send(SCRIPTS[0]!, ['k'], ['3']), cache.send(SCRIPTS[1]!, ['j'], ['4'])];
    await drain(redis);
    await expect(Promise.all(later)).resolves.toEqual(['ok 3', 'ok 4']);
    expect([redis.loads, redis.evals]).toEqual([1, 2]); // by SHA1
    expect(redis.ran.get('k')).toEqual(['1', '2', '3']);
  });

  test('a connection without evalsha/loadScripts, and a script not given, go by EVAL', async () => {
    const redis = new FakeRedis();
    const plain: RedisConnection = { eval: (...a) => redis.eval(...a), subscriber: () => redis.subscriber() };
    const viaEval = new ScriptCache(plain, SCRIPTS).send(SCRIPTS[0]!, ['k'], ['1']);
    const other = new ScriptCache(redis, SCRIPTS).send('return 3 -- not cached', ['t'], ['2']);
    await drain(redis);
    await expect(Promise.all([viaEval, other])).resolves.toEqual(['ok 1', 'ok 2']);
    expect(redis.evals).toBe(2);
    expect(redis.loads).toBe(0);
  });

  test('NOSCRIPT (scripts flushed): the last command of its key is sent again at once by EVAL, in its place', async () => {
    const redis = new FakeRedis();
    const cache = new ScriptCache(redis, SCRIPTS);
    await Promise.all([cache.send(SCRIPTS[0]!, ['a'], ['warm']), drain(redis)]);
    redis.flushScripts();
    const evals = redis.evals;
    const a = cache.send(SCRIPTS[0]!, ['a'], ['a1']);
    const b = cache.send(SCRIPTS[0]!, ['b'], ['b1']);
    await drain(redis);
    await expect(Promise.all([a, b])).resolves.toEqual(['ok a1', 'ok b1']);
    expect(redis.evals - evals).toBe(2);
    expect(redis.ran.get('a')).toEqual(['warm', 'a1']);
    const next = cache.send(SCRIPTS[1]!, ['a'], ['a2']); // loads again, goes by EVAL meanwhile
    await drain(redis);
    await expect(next).resolves.toBe('ok a2');
    expect(redis.loads).toBe(2);
  });

  test('NOSCRIPT when a later command of the same key was handed over: it fails, never runs after that one', async () => {
    const redis = new FakeRedis();
    const cache = new ScriptCache(redis, SCRIPTS);
    await Promise.all([cache.send(SCRIPTS[0]!, ['k'], ['warm']), drain(redis)]);
    redis.flushScripts();
    const acquire = cache.send(SCRIPTS[0]!, ['k'], ['acquire']);
    const settleCommand = cache.send(SCRIPTS[1]!, ['k'], ['settle']); // must run after the ACQUIRE, or not at all
    const outcomes = Promise.allSettled([acquire, settleCommand]);
    await settle(); // both on the wire
    redis.step(); // ACQUIRE: NOSCRIPT
    redis.loadedElsewhere(); // another process's EVAL put the scripts back before the SETTLE ran
    await drain(redis);
    const [first, second] = await outcomes;
    expect(first.status).toBe('rejected');
    expect(isNoScript((first as PromiseRejectedResult).reason)).toBe(true);
    expect(second).toEqual({ status: 'fulfilled', value: 'ok settle' });
    expect(redis.ran.get('k')).toEqual(['warm', 'settle']); // a re-sent ACQUIRE would have run after it
  });

  test('a failed load: commands still run, by EVAL, and the next command loads again', async () => {
    const redis = new FakeRedis();
    const cache = new ScriptCache(redis, SCRIPTS);
    redis.failLoads = true;
    const first = cache.send(SCRIPTS[0]!, ['k'], ['1']);
    await drain(redis);
    await expect(first).resolves.toBe('ok 1');
    redis.failLoads = false;
    const second = cache.send(SCRIPTS[0]!, ['k'], ['2']);
    await drain(redis);
    await expect(second).resolves.toBe('ok 2');
    expect([redis.loads, redis.evals]).toEqual([2, 2]);
    const third = cache.send(SCRIPTS[0]!, ['k'], ['3']);
    await drain(redis);
    await expect(third).resolves.toBe('ok 3');
    expect(redis.evals).toBe(2); // loaded: by SHA1
  });

  test('property: whatever the flushes and other clients\' loads, each key runs its commands in hand-over order, each at most once', async () => {
    const op = fc.oneof(
      fc.record({ send: fc.constantFrom('a', 'b', 'c'), script: fc.nat(1) }),
      fc.constant({ step: true }),
      fc.constant({ flush: true }),
      fc.constant({ elsewhere: true }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const redis = new FakeRedis();
        const cache = new ScriptCache(redis, SCRIPTS);
        await Promise.all([cache.send(SCRIPTS[0]!, ['w'], ['loaded']), drain(redis)]); // starts by SHA1
        const sent = new Map<string, string[]>();
        const outcomes: Promise<{ key: string; id: string; ok: boolean }>[] = [];
        let id = 0;
        for (const o of ops) {
          if ('send' in o) {
            const key = o.send;
            const name = String(id++);
            sent.set(key, [...(sent.get(key) ?? []), name]);
            const reply = cache.send(SCRIPTS[o.script]!, [key], [name]);
            outcomes.push(reply.then((r) => (expect(r).toBe('ok ' + name), { key, id: name, ok: true }), (error) => {
              expect(isNoScript(error)).toBe(true);
              return { key, id: name, ok: false };
            }));
          } else if ('step' in o) redis.step();
          else if ('flush' in o) redis.flushScripts();
          else redis.loadedElsewhere();
          await settle();
        }
        await drain(redis);
        const results = await Promise.all(outcomes); // every command settles
        for (const [key, order] of sent) {
          const ran = redis.ran.get(key) ?? [];
          expect(new Set(ran).size).toBe(ran.length); // at most once
          const positions = ran.map((name) => order.indexOf(name));
          expect(positions).toEqual([...positions].sort((x, y) => x - y)); // in hand-over order
          const succeeded = results.filter((r) => r.key === key && r.ok).map((r) => r.id);
          expect([...succeeded].sort()).toEqual([...ran].sort()); // resolved exactly when it ran
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
