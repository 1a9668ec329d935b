import * as dc from 'node:diagnostics_channel';
import { context, SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import {
  CHANNELS,
  type AbandonMessage,
  type FlightContext,
  type JoinMessage,
  type RemoteWait,
  type Scope,
} from '@shared-call/core';
import { createInstruments, type Instruments } from './metrics.js';
import { fromTraceparent, toTraceparent } from './traceparent.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** Options of {@link SharedCallInstrumentation}. */
export interface SharedCallInstrumentationConfig extends InstrumentationConfig {
  /**
   * Opt-in recording of keys, which may hold user data: called with each key, returns the value of the
   * `shared_call.key` attribute of spans and metric points, or `undefined` to leave it out. Metric attributes
   * must take few values: return a coarse form there, such as the function part of a `group()` key. Default:
   * keys are never recorded.
   */
  keyAttribute?: (key: string, scope: Scope) => string | undefined;
}

/** What is tracked of one flight traced in this thread while it runs. */
interface Tracked {
  readonly span: Span;
  readonly attributes: Attributes;
  readonly startedAt: number;
  /** Waits of callers that joined it, by their waiter object (or a fresh key for callers that cannot abandon). */
  readonly waits: Map<object, Wait>;
}

interface Wait {
  readonly span: Span;
  readonly attributes: Attributes;
  readonly startedAt: number;
}

type Outcome = 'ok' | 'error' | 'abandoned';

type Handlers = { [name in 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error']: (message: unknown) => void };

/**
 * OpenTelemetry instrumentation of shared-call: subscribes to the diagnostics channels the packages publish on
 * (no patching) and produces
 * - one span `shared-call flight` per execution of a coalesced function, child of the leader's active span,
 *   status ERROR when the function fails; in redis its `traceparent` is carried to waiters in other processes;
 * - one span `shared-call wait` per caller that joined a flight of its own thread, and per redis process
 *   waiting for another process's flight, each linked to the leader's flight span;
 * - metrics `shared_call.executions`, `.joins`, `.errors`, `.wait.duration`, `.flight.duration`,
 *   `.flights.active` (monotonic: a coalescer's `resetStats()` does not affect them).
 * Channels are per thread: enable it in every thread whose flights should be seen.
 */
export class SharedCallInstrumentation extends InstrumentationBase<SharedCallInstrumentationConfig> {
  // Declared, not initialized: the base constructor calls _updateMetricInstruments() and enable() before this
  // class's initializers would run, and initializers would then overwrite what those calls set.
  declare private instruments: Instruments | undefined;
  declare private flights: WeakMap<FlightContext, Tracked> | undefined;
  declare private remoteWaits: WeakMap<RemoteWait, Wait> | undefined;
  declare private unsubscribe: (() => void) | undefined;

  constructor(config: SharedCallInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Nothing to patch: the packages publish on diagnostics channels. */
  protected init(): undefined {
    return undefined;
  }

  protected override _updateMetricInstruments(): void {
    this.instruments = createInstruments(this.meter);
  }

  /** Subscribes to the channels; idempotent. */
  override enable(): void {
    super.enable();
    if (this.unsubscribe !== undefined) return;
    this.flights = new WeakMap();
    this.remoteWaits = new WeakMap();
    const flight = dc.tracingChannel(CHANNELS.flight);
    const remoteWait = dc.tracingChannel(CHANNELS.remoteWait);
    const flightHandlers: Handlers = {
      start: (c) => this.#flightStarted(c as FlightContext),
      end: (c) => settledAlready(c as FlightContext) && this.#flightSettled(c as FlightContext),
      asyncStart: () => {},
      asyncEnd: (c) => this.#flightSettled(c as FlightContext),
      error: (c) => this.#flightFailed(c as FlightContext),
    };
    const waitHandlers: Handlers = {
      start: (c) => this.#remoteWaitStarted(c as RemoteWait),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (c) => this.#remoteWaitEnded(c as RemoteWait),
      error: (c) => this.#remoteWaitEnded(c as RemoteWait),
    };
    const onJoin = (m: unknown) => this.#joined(m as JoinMessage);
    const onAbandon = (m: unknown) => this.#abandoned(m as AbandonMessage);
    flight.subscribe(flightHandlers);
    remoteWait.subscribe(waitHandlers);
    dc.subscribe(CHANNELS.join, onJoin);
    dc.subscribe(CHANNELS.abandon, onAbandon);
    this.unsubscribe = () => {
      flight.unsubscribe(flightHandlers);
      remoteWait.unsubscribe(waitHandlers);
      dc.unsubscribe(CHANNELS.join, onJoin);
      dc.unsubscribe(CHANNELS.abandon, onAbandon);
    };
  }

  /** Unsubscribes; spans of flights in progress are left unended. */
  override disable(): void {
    super.disable();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Metric attributes of a message: the scope, and the key when {@link SharedCallInstrumentationConfig.keyAttribute} opts in. */
  #attributes(key: string, scope: Scope): Attributes {
    const recorded = this.getConfig().keyAttribute?.(key, scope);
    return recorded === undefined ? { 'shared_call.scope': scope } : { 'shared_call.scope': scope, 'shared_call.key': recorded };
  }

  #flightStarted(flight: FlightContext): void {
    const attributes = this.#attributes(flight.key, flight.scope);
    const span = this.tracer.startSpan(
      'shared-call flight',
      { kind: SpanKind.INTERNAL, attributes: { ...attributes, ...flightAttributes(flight) } },
      context.active(),
    );
    if (flight.scope === 'redis') flight.traceparent = toTraceparent(span.spanContext());
    this.flights!.set(flight, { span, attributes, startedAt: performance.now(), waits: new Map() });
    this.instruments!.executions.add(1, attributes);
    this.instruments!.active.add(1, attributes);
  }

  #flightFailed(flight: FlightContext): void {
    const tracked = this.flights!.get(flight);
    if (tracked === undefined) return;
    this.instruments!.errors.add(1, tracked.attributes);
    failSpan(tracked.span, flight.error);
  }

  #flightSettled(flight: FlightContext): void {
    const tracked = this.flights!.get(flight);
    if (tracked === undefined) return;
    this.flights!.delete(flight);
    const { span, attributes, startedAt, waits } = tracked;
    span.setAttributes(flightAttributes(flight));
    span.end();
    this.instruments!.active.add(-1, attributes);
    this.instruments!.flightDuration.record((performance.now() - startedAt) / 1000, attributes);
    const outcome = 'error' in flight ? 'error' : 'ok';
    for (const wait of waits.values()) this.#endWait(wait, outcome, flight.error);
  }

  #joined(join: JoinMessage): void {
    const attributes = this.#attributes(join.key, join.scope);
    this.instruments!.joins.add(1, attributes);
    const tracked = join.flight === undefined ? undefined : this.flights!.get(join.flight);
    if (tracked === undefined) return; // its end cannot be seen here: counted only (remote waits are traced apart)
    const span = this.tracer.startSpan(
      'shared-call wait',
      { kind: SpanKind.INTERNAL, attributes, links: [{ context: tracked.span.spanContext() }] },
      context.active(),
    );
    tracked.waits.set(join.waiter ?? {}, { span, attributes, startedAt: performance.now() });
  }

  #abandoned(abandon: AbandonMessage): void {
    const tracked = abandon.flight === undefined ? undefined : this.flights!.get(abandon.flight);
    const wait = abandon.waiter === undefined ? undefined : tracked?.waits.get(abandon.waiter);
    if (wait === undefined) return; // the leader's own wait, or a wait not traced
    tracked!.waits.delete(abandon.waiter!);
    this.#endWait(wait, 'abandoned', abandon.reason);
  }

  #remoteWaitStarted(wait: RemoteWait): void {
    const attributes = this.#attributes(wait.key, wait.scope);
    const span = this.tracer.startSpan(
      'shared-call wait',
      { kind: SpanKind.INTERNAL, attributes: { ...attributes, 'shared_call.leader.token': wait.leader.token } },
      context.active(),
    );
    this.remoteWaits!.set(wait, { span, attributes, startedAt: performance.now() });
  }

  #remoteWaitEnded(wait: RemoteWait): void {
    const tracked = this.remoteWaits!.get(wait);
    if (tracked === undefined) return;
    this.remoteWaits!.delete(wait);
    const leader = fromTraceparent(wait.leader.traceparent);
    if (leader !== undefined) tracked.span.addLink({ context: leader });
    this.#endWait(tracked, 'error' in wait ? 'error' : 'ok', wait.error);
  }

  #endWait(wait: Wait, outcome: Outcome, error: unknown): void {
    wait.span.setAttribute('shared_call.outcome', outcome);
    if (outcome === 'error') failSpan(wait.span, error);
    wait.span.end();
    const attributes = { ...wait.attributes, 'shared_call.outcome': outcome };
    this.instruments!.waitDuration.record((performance.now() - wait.startedAt) / 1000, attributes);
  }
}

/** True at `end` for a synchronous flight, whose outcome is recorded before `end` (sync-workers' `call`). */
function settledAlready(flight: FlightContext): boolean {
  return 'result' in flight || 'error' in flight;
}

/** Span attributes of a flight's own fields (the key aside). */
function flightAttributes(flight: FlightContext): Attributes {
  const attributes: Attributes = { 'shared_call.flight.id': flight.id };
  if (flight.token !== undefined) attributes['shared_call.lease.token'] = flight.token;
  if (flight.fencingToken !== undefined) attributes['shared_call.fencing_token'] = flight.fencingToken;
  if (flight.takeover) attributes['shared_call.takeover'] = true;
  if (flight.fallback) attributes['shared_call.fallback'] = true;
  if (flight.shared !== undefined) attributes['shared_call.shared'] = flight.shared;
  if (flight.callers !== undefined) attributes['shared_call.callers'] = flight.callers;
  return attributes;
}

/** Marks `span` failed with `error`, recording it as an exception when it is an Error. */
function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
