import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';

/** The W3C `traceparent` of `span` (version 00), or `undefined` for an invalid (non-recording) span context. */
export function toTraceparent(span: SpanContext): string | undefined {
  if (!isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The remote span context a `traceparent` names, or `undefined` when it is not a valid version-00 traceparent
 * (it comes from Redis, where anyone with access may have written it).
 */
export function fromTraceparent(text: unknown): SpanContext | undefined {
  const match = typeof text === 'string' ? TRACEPARENT.exec(text) : null;
  if (match === null) return undefined;
  const context: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true };
  return isSpanContextValid(context) ? context : undefined;
}
