import { serialize } from 'node:v8';
import { SharedCall } from '@shared-call/sync-workers';
import { Callers, coalesce, until, withCallers, COLLIDING_KEYS } from './helpers';

const MiB = 1024 * 1024;

/** The byte pattern fixtures/caller.cjs `bytes` writes: one marked byte per 4 KiB page and a 7 at the end. */
function expectPattern(bytes: Uint8Array, size: number): void {
  expect(bytes.length).toBe(size);
  for (let i = 0; i < size - 1; i += 4096) if (bytes[i] !== ((i / 4096) & 255)) throw new Error(`byte ${i} differs`);
  expect(bytes[size - 1]).toBe(7);
}

describe('results, sizes and keys at the limits', () => {
  const sc = new SharedCall({ maxResultBytes: 40 * MiB, slots: 8 });
  let callers: Callers;
  beforeAll(async () => {
    callers = await new Callers().start(4, sc.handle);
  });
  afterAll(() => callers.close());

  /** Worker 0 leads `key`, workers 1..`waiters` join it; returns every reply, the leader's first. */
  const share = (key: string, behaviour: string, arg: object, waiters = 3) =>
    coalesce(callers, sc, { key, behaviour, arg }, Array.from({ length: waiters }, (_, i) => i + 1));

  test('a 32 MiB result arrives intact in every waiter', async () => {
    const size = 32 * MiB;
    const replies = await share('big', 'bytes', { ms: 300, size });
    for (const reply of replies) expectPattern(reply.value, size);
    expect(sc.getStats()).toMatchObject({ active: 0, errors: 0 });
  });

  test('results of sizes around the inline limit all arrive intact', async () => {
    for (const size of [1, 4000, 8000, 8192, 9000, 70_000]) {
      const replies = await share(`size-${size}`, 'bytes', { ms: 150, size }, 1);
      for (const reply of replies) expectPattern(reply.value, size);
    }
  });

  test('more large results in flight than result buffers: all arrive, in turn', async () => {
    const keys = Array.from({ length: 7 }, (_, i) => `many-big-${i}`);
    const before = callers.entered;
    const leaders = keys.map((key, i) => callers.call(i % 2, { key, behaviour: 'bytes', arg: { ms: 300, size: MiB + i } }));
    await callers.entries(before + 2);
    const waiters = keys.map((key, i) => callers.call(2 + (i % 2), { key, behaviour: 'bytes', arg: { ms: 300, size: MiB + i } }));
    const replies = await Promise.all([...leaders, ...waiters]);
    replies.forEach((reply, i) => expectPattern(reply.value, MiB + (i % keys.length)));
    expect(sc.getStats()).toMatchObject({ active: 0 });
  });

  test('a result over maxResultBytes: the leader gets its value, waiters a RangeError; the slot is freed', async () => {
    const replies = await share('too-big', 'bytes', { ms: 300, size: 41 * MiB });
    expectPattern(replies[0]!.value, 41 * MiB);
    for (const reply of replies.slice(1)) {
      expect(reply.ok).toBe(false);
      expect(reply.error).toMatchObject({ ctor: 'RangeError', message: expect.stringMatching(/"too-big".*over maxResultBytes \(41943040\)/) });
      expect(reply.error.code).toBe('ERR_SHARED_CALL_RESULT_TOO_LARGE');
    }
    expect(sc.getStats()).toMatchObject({ active: 0 });
    expect((await callers.call(1, { key: 'too-big', behaviour: 'value', arg: { value: 'fine' } })).value).toBe('fine');
  });

  test.each(['function', 'symbol'])('an uncloneable result (a %s): the leader gets it as is, waiters a DataCloneError; the slot is freed', async (kind) => {
    const replies = await share(`uncloneable-${kind}`, 'uncloneable', { kind });
    expect(replies[0]).toMatchObject({ ok: true, unpostable: true });
    for (const reply of replies.slice(1)) {
      expect(reply.ok).toBe(false);
      expect(reply.error).toMatchObject({ dom: true, name: 'DataCloneError', message: expect.stringMatching(/could not be cloned/) });
    }
    expect(sc.getStats()).toMatchObject({ active: 0 });
    expect((await callers.call(2, { key: `uncloneable-${kind}`, behaviour: 'value', arg: { value: 1 } })).value).toBe(1);
  });

  test('an uncloneable result nobody waits for is returned to the leader as is', async () => {
    expect(await callers.call(0, { key: 'alone', behaviour: 'uncloneable', arg: {} })).toMatchObject({ ok: true, unpostable: true });
  });

  // Issue 8 item 6: the error a caller sees must not depend on whether somebody joined. Before the fix, an
  // error whose cause held a function became a DataCloneError for the leader too, but only when shared.
  test('an error with uncloneable parts: the leader throws its own error, joined or not; waiters get it with those parts described', async () => {
    const alone = await callers.call(0, { key: 'bad-cause-alone', behaviour: 'throwUncloneable', arg: {} });
    const replies = await share('bad-cause', 'throwUncloneable', { ms: 50 });
    const own = { ctor: 'TypeError', message: 'outer', cause: { reason: 'inner', retry: '<function>' } };
    expect(alone.error).toMatchObject(own);
    expect(replies[0]!.error).toMatchObject(own);
    for (const reply of replies.slice(1)) {
      expect(reply.error).toMatchObject({ ctor: 'TypeError', message: 'outer', cause: { reason: 'inner', retry: '[uncloneable function retry]' } });
    }
    expect(sc.getStats()).toMatchObject({ active: 0 });
  });

  test('keys with equal hashes in different threads run separately, each with its own waiters', async () => {
    for (const [a, b] of COLLIDING_KEYS) {
      const executions = callers.executions;
      const entered = callers.entered;
      const hits = sc.getStats().hits;
      const [gateA, gateB] = [callers.nextGate(), callers.nextGate()];
      const leaderA = callers.call(0, { key: a, behaviour: 'value', arg: { value: a, gate: gateA } });
      await callers.entries(entered + 1);
      const leaderB = callers.call(1, { key: b, behaviour: 'value', arg: { value: b, gate: gateB } });
      await callers.entries(entered + 2);
      const waiterA = callers.call(2, { key: a, behaviour: 'value', arg: { value: 'wrong' } });
      const waiterB = callers.call(3, { key: b, behaviour: 'value', arg: { value: 'wrong' } });
      await until(() => sc.getStats().hits === hits + 2, 10_000, 'both waiters joined');
      callers.openGate();
      callers.openGate();
      const values = (await Promise.all([leaderA, leaderB, waiterA, waiterB])).map((reply) => reply.value);
      expect(values).toEqual([a, b, a, b]);
      expect(callers.executions - executions).toBe(2);
    }
  });
});

describe('maxResultBytes', () => {
  test('a result of exactly maxResultBytes serialized arrives; one byte more is a RangeError for the waiter', async () => {
    const max = 100_000;
    const header = serialize(new Uint8Array(max)).length - max; // v8's header for a Uint8Array of about that size
    await withCallers(2, { maxResultBytes: max }, async (callers) => {
      for (const [size, ok] of [[max - header, true], [max - header + 1, false]] as const) {
        const before = callers.entered;
        const leader = callers.call(0, { key: `edge-${size}`, behaviour: 'bytes', arg: { ms: 200, size } });
        await callers.entries(before + 1);
        const waiter = await callers.call(1, { key: `edge-${size}`, behaviour: 'bytes', arg: { size } });
        expect([(await leader).ok, waiter.ok]).toEqual([true, ok]);
        if (ok) expectPattern(waiter.value, size);
        else expect(waiter.error).toMatchObject({ ctor: 'RangeError', message: expect.stringContaining(`${max + 1} bytes`) });
      }
    });
  });

  test('the default table hands a 63 MiB result to its waiters', async () => {
    await withCallers(2, undefined, async (callers) => {
      const size = 63 * MiB;
      const leader = callers.call(0, { key: 'default-big', behaviour: 'bytes', arg: { ms: 200, size } });
      await callers.entries(1);
      const waiter = await callers.call(1, { key: 'default-big', behaviour: 'bytes', arg: { size } });
      expectPattern(waiter.value, size);
      expect((await leader).ok).toBe(true);
    });
  }, 60_000);
});

describe('timeouts', () => {
  test('a waiter gives up after timeoutMs with a TimeoutError; the leader and other waiters are unaffected', async () => {
    await withCallers(3, undefined, async (callers, sc) => {
      const leader = callers.call(0, { key: 't', behaviour: 'value', arg: { value: 'done', gate: callers.nextGate() } });
      await callers.entries(1);
      const impatient = callers.call(1, { key: 't', behaviour: 'value', arg: { value: 'x' }, options: { timeoutMs: 100 } });
      const patient = callers.call(2, { key: 't', behaviour: 'value', arg: { value: 'x' } });
      await until(() => sc.getStats().hits === 2, 10_000, 'both waiters joined');
      const i = await impatient;
      callers.openGate();
      const [l, p] = await Promise.all([leader, patient]);
      expect(i.ok).toBe(false);
      expect(i.error).toMatchObject({ dom: true, name: 'TimeoutError' });
      expect(i.ms).toBeGreaterThanOrEqual(95);
      expect(i.ms).toBeLessThan(1000);
      expect([l.value, p.value]).toEqual(['done', 'done']);
      expect(callers.executions).toBe(1);
      expect(sc.getStats()).toMatchObject({ active: 0, hits: 2, misses: 1 });
    });
  });

  test('the table’s default timeoutMs bounds the waits of every attached instance; Infinity overrides it', async () => {
    await withCallers(3, { timeoutMs: 80 }, async (callers, sc) => {
      const leader = callers.call(0, { key: 'd', behaviour: 'value', arg: { value: 1, gate: callers.nextGate() } });
      await callers.entries(1);
      const bounded = callers.call(1, { key: 'd', behaviour: 'value', arg: { value: 2 } });
      const unbounded = callers.call(2, { key: 'd', behaviour: 'value', arg: { value: 3 }, options: { timeoutMs: Infinity } });
      await until(() => sc.getStats().hits === 2, 10_000, 'both waiters joined');
      expect((await bounded).error).toMatchObject({ name: 'TimeoutError' });
      callers.openGate();
      expect(await unbounded).toMatchObject({ ok: true, value: 1 });
      expect(await leader).toMatchObject({ ok: true, value: 1 });
    });
  });

  test('the main thread can wait too, bounded by its timeout', async () => {
    await withCallers(1, undefined, async (callers, sc) => {
      const leader = callers.call(0, { key: 'm', behaviour: 'slow', arg: { ms: 500, value: 'v' } });
      await callers.entries(1);
      const started = performance.now();
      expect(() => sc.call('m', () => 'main', { timeoutMs: 100 })).toThrow(expect.objectContaining({ name: 'TimeoutError' }));
      expect(performance.now() - started).toBeLessThan(400);
      expect(sc.callWithInfo('m', () => 'main')).toEqual({ value: 'v', shared: true }); // blocks until the leader posts
      expect((await leader).value).toBe('v');
    });
  });
});
