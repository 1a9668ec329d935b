/** The Redis names one flight uses. All share one hash tag, so they live in one Redis Cluster slot. */
export interface FlightNames {
  /** The key the names are for. */
  readonly key: string;
  /** Holds the leader's token while it runs `fn` (`SET NX PX`, renewed). */
  readonly lease: string;
  /** Holds `token\nbody` of the last settled flight for `resultTtlMs`. */
  readonly result: string;
  /** Receives `token\nbody` when a flight settles. */
  readonly channel: string;
  /** Holds `token traceparent` of the leader when a diagnostics subscriber set one (see diagnostics.ts). */
  readonly trace: string;
  /** Holds the fencing token of the latest lease, for twice the lease (renewed with it). */
  readonly fence: string;
  /** The processes waiting for the flight (a sorted set of their tokens, by when their heartbeat lapses). */
  readonly waiters: string;
}

/**
 * Names for `key` in `namespace`: `shared-call:{<namespace>:<key>}:lease|result|done|trace|fence|waiters`, both
 * parts escaped by {@link escapeName}, so no namespace or key can produce another one's names.
 */
export function flightNames(namespace: string, key: string): FlightNames {
  return flightNamer(namespace)(key);
}

/** {@link flightNames} for every key of `namespace`, which is escaped once here rather than on every flight. */
export function flightNamer(namespace: string): (key: string) => FlightNames {
  const prefix = 'shared-call:{' + escapeName(namespace) + ':';
  return (key) => {
    const base = prefix + escapeName(key) + '}:';
    return {
      key,
      lease: base + 'lease',
      result: base + 'result',
      channel: base + 'done',
      trace: base + 'trace',
      fence: base + 'fence',
      waiters: base + 'waiters',
    };
  };
}

/** `%`, `:`, `{`, `}`, and every UTF-16 code unit that is not part of a surrogate pair (a lone surrogate). */
const ESCAPED = /[%:{}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes `%`, `:`, `{` and `}` as `%25`, `%3a`, `%7b`, `%7d`, and each lone surrogate as `%uXXXX` (lower-case
 * hex). Injective over all JavaScript strings, and the result is well-formed UTF-16: Redis receives names as
 * UTF-8, where every lone surrogate would otherwise become the same U+FFFD. The result never contains the
 * separators `:`, `{`, `}`.
 */
export function escapeName(text: string): string {
  return text.replace(ESCAPED, (c) => (c >= '\uD800' ? '%u' : '%') + c.charCodeAt(0).toString(16));
}
