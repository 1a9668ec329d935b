import { SpanStatusCode } from '@opentelemetry/api';
import { AsyncSharedCall } from '@shared-call/core';
import { deferred } from '../../../test/support/helpers.cjs';
import { setupSdk } from './sdk.js';


describe('SharedCallInstrumentation (real SDK)', () => {
  let sdk: ReturnType<typeof setupSdk>;
  afterEach(() => sdk.shutdown());

  test('10 coalesced callers: one flight span, 9 wait spans linked to it, each a child of its caller', async () => {
    sdk = setupSdk();
    const sc = new AsyncSharedCall();
    const gate = deferred<string>();
    const calls = Array.from({ length: 10 }, (_, i) =>
      sdk.tracer.startActiveSpan(`request ${i}`, (request) => sc.call('user:42', () => gate.promise).finally(() => request.end())),
    );
    gate.resolve('v');
    expect(await Promise.all(calls)).toEqual(Array(10).fill('v'));
    const spans = sdk.spans.getFinishedSpans();
    const flights = spans.filter((s) => s.name === 'shared-call flight');
    const waits = spans.filter((s) => s.name === 'shared-call wait');
    const requests = new Map(spans.filter((s) => s.name.startsWith('request')).map((s) => [s.spanContext().spanId, s]));
    expect(flights).toHaveLength(1);
    expect(waits).toHaveLength(9);
    const flight = flights[0]!;
    expect(requests.get(flight.parentSpanContext!.spanId)?.name).toBe('request 0');
    expect(flight.attributes).toMatchObject({ 'shared_call.scope': 'process', 'shared_call.callers': 10, 'shared_call.shared': true });
    for (const wait of waits) {
      expect(wait.links.map((l) => l.context.spanId)).toEqual([flight.spanContext().spanId]);
      expect(requests.has(wait.parentSpanContext!.spanId)).toBe(true);
      expect(wait.attributes['shared_call.outcome']).toBe('ok');
    }
    expect(new Set(waits.map((w) => w.parentSpanContext!.spanId)).size).toBe(9);
  });

  test('a failing fn: flight span ERROR with the exception, waits ERROR, errors counted once', async () => {
    sdk = setupSdk();
    const sc = new AsyncSharedCall();
    const gate = deferred();
    const calls = [1, 2, 3].map(() => sc.call('k', () => gate.promise).catch((e: unknown) => e));
    gate.reject(new Error('database down'));
    await Promise.all(calls);
    const [flight] = sdk.spans.getFinishedSpans().filter((s) => s.name === 'shared-call flight');
    expect(flight!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database down' });
    expect(flight!.events.map((e) => e.name)).toEqual(['exception']);
    const waits = sdk.spans.getFinishedSpans().filter((s) => s.name === 'shared-call wait');
    expect(waits.map((w) => w.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
    expect(await sdk.sum('shared_call.errors')).toBe(1);
  });

  test('metrics are monotonic and unaffected by resetStats()', async () => {
    sdk = setupSdk();
    const sc = new AsyncSharedCall();
    const round = async () => {
      const gate = deferred();
      const calls = Array.from({ length: 5 }, () => sc.call('k', () => gate.promise));
      expect(await sdk.sum('shared_call.flights.active')).toBe(1);
      gate.resolve(1);
      await Promise.all(calls);
    };
    await round();
    sc.resetStats();
    await round();
    expect(sc.getStats()).toMatchObject({ hits: 4, misses: 1 });
    expect(await sdk.sum('shared_call.executions')).toBe(2);
    expect(await sdk.sum('shared_call.joins')).toBe(8);
    expect(await sdk.sum('shared_call.wait.duration', { 'shared_call.outcome': 'ok' })).toBe(8);
    expect(await sdk.sum('shared_call.flight.duration')).toBe(2);
    expect(await sdk.sum('shared_call.flights.active')).toBe(0);
  });

  test('an abandoning follower ends its own wait span only', async () => {
    sdk = setupSdk();
    const sc = new AsyncSharedCall();
    const gate = deferred();
    const leaving = new AbortController();
    const leader = sc.call('k', () => gate.promise);
    const staying = sc.call('k', () => gate.promise, { timeoutMs: 60_000 });
    const left = sc.call('k', () => gate.promise, { signal: leaving.signal }).catch((e: unknown) => e);
    leaving.abort(new Error('client went away'));
    await left;
    expect(sdk.spans.getFinishedSpans().map((s) => s.attributes['shared_call.outcome'])).toEqual(['abandoned']);
    gate.resolve(1);
    await Promise.all([leader, staying]);
    const outcomes = sdk.spans.getFinishedSpans().map((s) => s.attributes['shared_call.outcome'] ?? s.name);
    expect(outcomes).toEqual(['abandoned', 'shared-call flight', 'ok']);
    expect(await sdk.sum('shared_call.wait.duration', { 'shared_call.outcome': 'abandoned' })).toBe(1);
  });

  test('keys are recorded only through keyAttribute', async () => {
    sdk = setupSdk();
    const sc = new AsyncSharedCall();
    await Promise.all([sc.call('secret:alice@example.com', async () => 1), sc.call('secret:alice@example.com', async () => 1)]);
    const recorded = [...sdk.spans.getFinishedSpans().map((s) => s.attributes), ...(await sdk.points('shared_call.joins')).map((p) => p.attributes)];
    expect(recorded.length).toBeGreaterThan(1);
    expect(recorded.some((attributes) => 'shared_call.key' in attributes)).toBe(false);
    await sdk.shutdown();

    sdk = setupSdk({ keyAttribute: (key) => key.slice(0, key.indexOf(':')) });
    await Promise.all([sc.call('secret:alice@example.com', async () => 1), sc.call('secret:alice@example.com', async () => 1)]);
    expect(sdk.spans.getFinishedSpans().map((s) => s.attributes['shared_call.key'])).toEqual(['secret', 'secret']);
    expect(await sdk.sum('shared_call.joins', { 'shared_call.key': 'secret' })).toBe(1);
  });

  test('disable() stops recording, enable() resumes; providers set on the instance are used', async () => {
    sdk = setupSdk();
    const sc = new AsyncSharedCall();
    sdk.instrumentation.disable();
    await sc.call('k', async () => 1);
    expect(sdk.spans.getFinishedSpans()).toHaveLength(0);
    sdk.instrumentation.enable();
    sdk.instrumentation.enable(); // idempotent: still one span per flight
    await sc.call('k', async () => 1);
    expect(sdk.spans.getFinishedSpans()).toHaveLength(1);
    expect(await sdk.sum('shared_call.executions')).toBe(1);
  });
});
