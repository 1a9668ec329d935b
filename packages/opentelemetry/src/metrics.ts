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
  return {
    executions: meter.createCounter('shared_call.executions', {
      description: 'Executions of coalesced functions (flights started)',
      unit: '{execution}',
    }),
    joins: meter.createCounter('shared_call.joins', {
      description: 'Calls that joined a flight in progress instead of executing',
      unit: '{call}',
    }),
    errors: meter.createCounter('shared_call.errors', {
      description: 'Flights whose function failed',
      unit: '{execution}',
    }),
    waitDuration: meter.createHistogram('shared_call.wait.duration', {
      description: 'How long callers waited for a flight they joined',
      unit: 's',
    }),
    flightDuration: meter.createHistogram('shared_call.flight.duration', {
      description: 'How long an execution took until its outcome was delivered',
      unit: 's',
    }),
    active: meter.createUpDownCounter('shared_call.flights.active', {
      description: 'Flights in progress',
      unit: '{execution}',
    }),
  };
}
