import type { Attributes, Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';

/**
 * The instruments of {@link SharedCallInstrumentation}. Counters are monotonic: they count events as they are
 * published, so a coalescer's `resetStats()` never moves them back.
 */
export interface Instruments {
  /** Executions of coalesced functions (flights started). */
  readonly executions: Counter<Attributes>;
  /** Calls that joined a flight in progress instead of executing (executions saved). */
  readonly joins: Counter<Attributes>;
  /** Flights whose function failed. */
  readonly errors: Counter<Attributes>;
  /** Seconds a caller waited for a flight it joined, by `shared_call.outcome` (ok, error, abandoned). */
  readonly waitDuration: Histogram<Attributes>;
  /** Seconds from the start of an execution until its outcome was delivered. */
  readonly flightDuration: Histogram<Attributes>;
  /** Flights in progress. */
  readonly active: UpDownCounter<Attributes>;
}

/** Creates the instruments on `meter` (names follow OpenTelemetry's dotted, lower-case convention). */
export function createInstruments(meter: Meter): Instruments {
  const counter = (name: string, description: string, unit: string) => meter.createCounter(name, { description, unit });
  const seconds = (name: string, description: string) => meter.createHistogram(name, { description, unit: 's' });
  return {
    executions: counter('shared_call.executions', 'Executions of coalesced functions (flights started)', '{execution}'),
    joins: counter('shared_call.joins', 'Calls that joined a flight in progress instead of executing', '{call}'),
    errors: counter('shared_call.errors', 'Flights whose function failed', '{execution}'),
    waitDuration: seconds('shared_call.wait.duration', 'How long callers waited for a flight they joined'),
    flightDuration: seconds('shared_call.flight.duration', 'How long an execution took until its outcome was delivered'),
    active: meter.createUpDownCounter('shared_call.flights.active', { description: 'Flights in progress', unit: '{execution}' }),
  };
}
