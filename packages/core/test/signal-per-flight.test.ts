import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AsyncSharedCall } from '@shared-call/core';
import { controllerFor } from '../src/cancellation';
import { median } from '../../../test/support/helpers.cjs';

/** What fixtures/signal-soak.cjs prints. */
interface SoakReport {
  reused: number;
  crowded: number;
  warnings: string[];
  batchMs: number[];
}

/** A leader fn that declares no parameter yet takes the signal from `arguments[0]` and adds a listener to it. */
function listeningFn(onAbort: () => void = () => undefined) {
  return function (): AbortSignal {
    // eslint-disable-next-line prefer-rest-params
    const signal = arguments[0] as AbortSignal;
    signal.addEventListener('abort', () => onAbort()); // a new listener per flight, as real code adds
    return signal;
  };
}

// Issue 8, item 2: nothing passed to fn may outlive its flight or be shared between flights.
describe('the signal handed to a fn that declares no parameter (issue 8.2)', () => {
  test('100k flights: each gets a signal of its own, no listener piles up, no warning, no slowdown', () => {
    // In a process of its own (against the built package): jest's sandbox does not see process warnings.
    const script = join(__dirname, 'fixtures', 'signal-soak.cjs');
    const output = execFileSync(process.execPath, [script, '100000', '5000'], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const { reused, crowded, warnings, batchMs } = JSON.parse(output) as SoakReport;
    expect({ reused, crowded, warnings }).toEqual({ reused: 0, crowded: 0, warnings: [] });
    expect(batchMs).toHaveLength(20);
    // Per-call time stays flat: the last batches are not markedly slower than the first (generous bound).
    expect(median(batchMs.slice(-5))).toBeLessThan(3 * median(batchMs.slice(1, 6)) + 50);
  });

  test('a listener added in one flight never sees an abort event of another flight, or of another instance', async () => {
    const heard: string[] = [];
    const [one, other] = [new AsyncSharedCall(), new AsyncSharedCall()];
    await one.call('a', listeningFn(() => heard.push('a')));
    await other.call('b', listeningFn(() => heard.push('b')));
    const dispatcher = function (): void {
      // eslint-disable-next-line prefer-rest-params
      (arguments[0] as AbortSignal).dispatchEvent(new Event('abort'));
    };
    await one.call('c', dispatcher);
    await other.call('c', dispatcher);
    expect(heard).toEqual([]);
  });

  test('rest and default parameters receive a signal of their own per flight', async () => {
    const sc = new AsyncSharedCall();
    const rest = (...args: AbortSignal[]) => args[0];
    const withDefault = (signal: AbortSignal | undefined = undefined) => signal;
    expect(rest.length + withDefault.length).toBe(0);
    const signals = [await sc.call('k', rest), await sc.call('k', rest), await sc.call('k', withDefault)];
    for (const signal of signals) expect(signal).toBeInstanceOf(AbortSignal);
    expect(new Set(signals).size).toBe(3);
  });
});

describe('controllerFor: which fns can observe their argument', () => {
  /* eslint-disable @typescript-eslint/no-unused-vars, prefer-rest-params */
  const observing: [string, (...args: never[]) => unknown][] = [
    ['function () {}', function () {
      return arguments[0] as unknown;
    }],
    ['async function () {}', async function () {
      return arguments[0] as unknown;
    }],
    ['rest parameters', (...args: unknown[]) => args[0]],
    ['default parameter', (signal: unknown = undefined) => signal],
    ['declared parameter', (signal: unknown) => signal],
    ['method', { m() { return arguments[0] as unknown; } }.m],
    ['bound arrow', (() => 1).bind(null)],
    ['callable Proxy of an arrow', new Proxy(() => 1, {})],
    ['native function', console.log],
    ['Function constructor', new Function('return arguments[0]') as () => unknown],
  ];
  /* eslint-enable @typescript-eslint/no-unused-vars, prefer-rest-params */
  test.each(observing)('%s gets a signal', (_label, fn) => {
    expect(controllerFor(fn)).toBeInstanceOf(AbortController);
  });

  test.each([
    ['() => x', () => 1],
    ['async () => x', async () => 1],
    ['()=>x with no spaces', new Function('return ()=>1')() as () => number],
    ['async()=>x', new Function('return async()=>1')() as () => Promise<number>],
  ])('%s cannot observe one, and gets none', (_label, fn) => {
    expect(controllerFor(fn)).toBeUndefined();
  });
});
