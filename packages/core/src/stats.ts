/**
 * Counters every coalescer reports. `misses` counts flights started (real executions of `fn`), `hits` counts
 * calls that joined a flight already in progress, `errors` counts flights whose `fn` failed (once per flight),
 * `active` is the number of flights in progress now and `hitRate` is `hits / (hits + misses)` (0 before any call).
 */
export interface SharedCallStats {
  readonly hits: number;
  readonly misses: number;
  readonly errors: number;
  readonly active: number;
  readonly hitRate: number;
}

/** Builds a {@link SharedCallStats} snapshot from raw counters, deriving `hitRate`. */
export function statsSnapshot(hits: number, misses: number, errors: number, active: number): SharedCallStats {
  const calls = hits + misses;
  return { hits, misses, errors, active, hitRate: calls === 0 ? 0 : hits / calls };
}
