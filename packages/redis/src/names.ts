/** The Redis names one flight uses. All share one hash tag, so they live in one Redis Cluster slot. */
export interface FlightNames {
  /** Holds the leader's token while it runs `fn` (`SET NX PX`, renewed). */
  readonly lease: string;
  /** Holds `token\nbody` of the last settled flight for `resultTtlMs`. */
  readonly result: string;
  /** Receives `token\nbody` when a flight settles. */
  readonly channel: string;
  /** Holds the fencing token of the latest lease, for twice the lease (renewed with it). */
  readonly fence: string;
  /** The processes waiting for the flight (a sorted set of their tokens, by when their heartbeat lapses). */
  readonly waiters: string;
}

/**
 * Names for `key` in `namespace`: `shared-call:{<namespace>:<key>}:lease|result|done|fence|waiters`, both parts escaped by
 * {@link escapeName}, so no namespace or key can produce another one's names.
 */
export function flightNames(namespace: string, key: string): FlightNames {
  const base = 'shared-call:{' + escapeName(namespace) + ':' + escapeName(key) + '}:';
  return {
    lease: base + 'lease',
    result: base + 'result',
    channel: base + 'done',
    fence: base + 'fence',
    waiters: base + 'waiters',
  };
}

/** Percent-escapes `%`, `:`, `{` and `}`: injective, and the result never contains the separators. */
export function escapeName(text: string): string {
  return text.replace(/[%:{}]/g, (c) => '%' + c.charCodeAt(0).toString(16));
}
