import * as dc from 'node:diagnostics_channel';
import { CHANNELS, type AbandonMessage, type FlightContext, type ForgetMessage, type JoinMessage } from '@shared-call/core';

/** The message each plain channel carries (`takeover` and `overflow`: the key and scope). */
export interface ChannelMessages {
  join: JoinMessage;
  abandon: AbandonMessage;
  forget: ForgetMessage;
  takeover: { key: string; scope: string };
  overflow: { key: string; scope: string };
}

type TraceEvent = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';

/**
 * Records, in this thread, every event of the `shared-call:flight` TracingChannel and the messages of the plain
 * channels named in `channels`, until `stop()`: the diagnostics tests of every package read what was published.
 */
export function recordDiagnostics<N extends keyof ChannelMessages>(channels: readonly N[]) {
  const events: [TraceEvent, FlightContext][] = [];
  const messages: [N, ChannelMessages[N]][] = [];
  const trace = dc.tracingChannel<unknown, FlightContext>(CHANNELS.flight);
  const on = (event: TraceEvent) => (context: FlightContext) => events.push([event, context]);
  const handlers = { start: on('start'), end: on('end'), asyncStart: on('asyncStart'), asyncEnd: on('asyncEnd'), error: on('error') };
  const listeners = channels.map((name) => [CHANNELS[name], (m: unknown) => messages.push([name, m as ChannelMessages[N]])] as const);
  trace.subscribe(handlers);
  for (const [channel, listener] of listeners) dc.subscribe(channel, listener);
  return {
    events,
    messages,
    /** The flight events' names, in order. */
    names: () => events.map(([event]) => event),
    /** The messages of one channel, in order. */
    of: <K extends N>(name: K) => messages.filter(([channel]) => channel === name).map(([, m]) => m as ChannelMessages[K]),
    stop() {
      trace.unsubscribe(handlers);
      for (const [channel, listener] of listeners) dc.unsubscribe(channel, listener);
    },
  };
}
