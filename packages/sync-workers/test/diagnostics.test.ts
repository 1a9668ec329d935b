import { SharedCall } from '@shared-call/sync-workers';
import { recordDiagnostics } from '@shared-call/test-utils';
import { Callers, until, withCallers, within } from './helpers';

/** Records, in this thread, the flight events and the messages of the channels sync-workers publishes on. */
const record = () => recordDiagnostics(['join', 'overflow', 'takeover', 'forget']);

describe('diagnostics channels (sync-workers)', () => {
  let seen: ReturnType<typeof record>;
  beforeEach(() => (seen = record()));
  afterEach(() => seen.stop());

  test('a synchronous flight: start, end with the outcome recorded; error with the thrown value', () => {
    const sc = new SharedCall();
    expect(sc.call('k', () => 42)).toBe(42);
    expect(seen.names()).toEqual(['start', 'end']);
    expect(seen.events[0]![1]).toMatchObject({ key: 'k', scope: 'threads', takeover: false, shared: false, result: 42 });
    const thrown = new RangeError('bad');
    expect(() => sc.call('k', () => { throw thrown; })).toThrow(thrown);
    expect(seen.names().slice(2)).toEqual(['start', 'error', 'end']);
    expect(seen.events[3]![1].error).toBe(thrown);
  });

  test('callAsync leads with an asynchronous trace; a join of a flight led by a worker is published here', async () => {
    await withCallers(1, undefined, async (callers, sc) => {
      expect(await sc.callAsync('a', async () => 'v')).toBe('v');
      expect(seen.names()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      const leader = callers.call(0, { key: 'b', behaviour: 'slow', arg: { ms: 200, value: 'w' } });
      await callers.entries(1);
      expect(await sc.callAsync('b', () => 'main')).toBe('w');
      await leader;
      expect(seen.messages).toEqual([['join', { key: 'b', scope: 'threads' }]]);
      expect(seen.names()).toHaveLength(4); // the worker's flight is traced in the worker's thread, not here
    });
  });

  test('overflow and forget are published', () => {
    const sc = new SharedCall({ slots: 1 });
    const inner = sc.call('outer', () => sc.call('other', () => 1));
    expect(inner).toBe(1);
    sc.forget('x');
    sc.forgetAll();
    expect(seen.messages).toEqual([
      ['overflow', { key: 'other', scope: 'threads' }],
      ['forget', { key: 'x', scope: 'threads' }],
      ['forget', { key: undefined, scope: 'threads' }],
    ]);
  });

  test('a waiter that takes over a dead leader publishes takeover and traces its execution as one', async () => {
    const sc = new SharedCall();
    const callers = await new Callers().start(1, sc.handle);
    sc.watch(callers.workers[0]!);
    try {
      void callers.call(0, { key: 'doomed', behaviour: 'hang' }).catch(() => {});
      await callers.entries(1);
      const rescued = sc.callAsync('doomed', async () => 'rescued');
      await until(() => sc.getStats().hits === 1, 5000, 'main thread joined');
      await callers.workers[0]!.terminate();
      expect(await within(rescued, 10_000, 'takeover')).toBe('rescued');
      expect(seen.messages.map(([name]) => name)).toEqual(['join', 'takeover']);
      expect(seen.events[0]![1]).toMatchObject({ key: 'doomed', takeover: true, result: 'rescued' });
    } finally {
      await callers.close();
    }
  });
});
