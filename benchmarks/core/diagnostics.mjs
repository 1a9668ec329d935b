// What observability costs the hit path: the coalesced call of peers.mjs (1000 callers per flight) with nobody
// listening to the diagnostics channels, with no-op subscribers on them, and with SharedCallInstrumentation
// feeding a real OpenTelemetry SDK (spans made and ended, no exporter). Subscribers are attached only while
// their own task runs (tinybench's beforeAll/afterAll), since channels are process-wide; this section runs
// last in core.bench.mjs, so that no other section runs after a channel was subscribed to.
import * as dc from 'node:diagnostics_channel';
import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { CHANNELS } from '@shared-call/core';
import { SharedCallInstrumentation } from '@shared-call/opentelemetry';
import { contender } from '../lib/contenders.mjs';
import { flightTask } from '../lib/flights.mjs';
import { headline, timeAlternately } from '../lib/alternate.mjs';
import { formatNs, formatRatio, spreadNote, table, verdict } from '../lib/report.mjs';

const CALLERS = 1000;

/** No-op subscribers on the join channel and every event of the flight TracingChannel. */
function noopSubscribers() {
  const noop = () => {};
  const handlers = { start: noop, end: noop, asyncStart: noop, asyncEnd: noop, error: noop };
  const flight = dc.tracingChannel(CHANNELS.flight);
  return {
    beforeAll: () => {
      flight.subscribe(handlers);
      dc.subscribe(CHANNELS.join, noop);
    },
    afterAll: () => {
      flight.unsubscribe(handlers);
      dc.unsubscribe(CHANNELS.join, noop);
    },
  };
}

/** SharedCallInstrumentation with an SDK tracer and meter provider (no exporter, so no I/O is measured). */
function instrumentation() {
  const instance = new SharedCallInstrumentation({ enabled: false });
  instance.setTracerProvider(new BasicTracerProvider());
  instance.setMeterProvider(new MeterProvider());
  return { beforeAll: () => instance.enable(), afterAll: () => instance.disable() };
}

export async function diagnosticsSection() {
  const keys = ['user:42'];
  const ours = contender('shared-call').make;
  const rows = [
    ['floor (Map + shared promise)', contender('floor').make, undefined],
    ['shared-call, nobody listening', ours, undefined],
    ['shared-call, no-op subscribers', ours, noopSubscribers()],
    ['shared-call, SharedCallInstrumentation + SDK', ours, instrumentation()],
  ];
  const tasks = rows.map(([name, make, hooks]) => ({ ...flightTask(name, make, keys, CALLERS), hooks }));
  // Unobserved first, before any subscriber was ever attached: subscribing switches a channel's prototype
  // (Node's Channel/ActiveChannel), and a call site that saw both stays slower, as it would not in a process
  // that subscribes once at startup and keeps its subscribers.
  const quiet = await timeAlternately(tasks.slice(0, 2));
  const observed = await timeAlternately([tasks[0], ...tasks.slice(2)]);
  const [floor, unobserved, noop, instrumented] = rows.map(([name]) => name);
  const vsFloor = [quiet.ratio(unobserved, floor), observed.ratio(noop, floor), observed.ratio(instrumented, floor)];
  const markdown = [
    `### Diagnostics channels: the hit path with and without subscribers, ${CALLERS} callers per flight (per call)`,
    '',
    table(
      ['contender', 'time per call', 'vs floor'],
      [
        [floor, formatNs(quiet.median(floor)), '1.00x'],
        [unobserved, formatNs(quiet.median(unobserved)), formatRatio(vsFloor[0])],
        [noop, formatNs(observed.median(noop)), formatRatio(vsFloor[1])],
        [instrumented, formatNs(observed.median(instrumented)), formatRatio(vsFloor[2])],
      ],
    ),
    '',
    spreadNote(quiet.rounds),
    '',
    `- nobody listening, ≤ 1.2x the floor: **${verdict(vsFloor[0], 1.2)}**`,
    '- the floor row is the run with the unobserved row; subscribed rows are compared with a floor measured',
    '  beside them, after the first subscription.',
    '- with subscribers every join publishes a message, and the instrumentation starts and ends a span per',
    '  waiter (`shared-call wait`, linked to the flight span): that cost is paid only while someone listens.',
  ].join('\n');
  return {
    markdown,
    headline: [
      headline('unobserved shared-call / floor', vsFloor[0], { limit: 1.2 }),
      headline('observed (no-op subscribers) / floor', vsFloor[1]),
    ],
  };
}
