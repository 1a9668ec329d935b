// The performance targets of issue 13 ("every path within a hair of its floor"), one entry each: what is
// measured against what, which bench measures it, and the bound on the ratio. A bench that measures one
// tags its headline with `target: id` (lib/alternate.mjs `headline`), which takes the limit from here, so
// the table, the targets summary of RESULTS.md and the chart agree. A target no bench has measured yet is
// listed as such in RESULTS.md and left out of the chart.

/** `{ id, bench, what, limit }`: `limit` bounds the ratio's median (lower is better). */
export const targets = Object.freeze([
  { id: 'hit-path', bench: 'core', what: 'hit path (1000 callers per flight), time / floor', limit: 1.2 },
  { id: 'single-caller-time', bench: 'core', what: 'flight with a single caller, time / floor', limit: 1.3 },
  { id: 'single-caller-heap', bench: 'core', what: 'flight with a single caller, heap / floor', limit: 1.5 },
  { id: 'distinct-keys', bench: 'core', what: '10–10,000 distinct keys in flight, 10 callers each, time / floor', limit: 1.2 },
  { id: 'wake-p50', bench: 'sync-workers', what: 'waiter wake-up after the leader posts, p50 / raw Atomics hop', limit: 1.3 },
  { id: 'wake-p90', bench: 'sync-workers', what: 'waiter wake-up after the leader posts, p90 / raw Atomics hop', limit: 1.5 },
  { id: 'uncontended-call', bench: 'sync-workers', what: 'uncontended `call` overhead / 0.5 µs', limit: 1 },
  { id: 'redis-flight', bench: 'redis', what: 'one whole flight (acquire, run, settle) / bare GET', limit: 2.2 },
  { id: 'redis-waiter-hop', bench: 'redis', what: "waiter in another process, leader's settle → call returns / raw PUBLISH hop", limit: 1.5 },
].map(Object.freeze));

/** The limit of target `id`; throws on an unknown id, so a typo cannot drop a target silently. */
export function targetLimit(id) {
  const found = targets.find((target) => target.id === id);
  if (found === undefined) throw new RangeError(`no target ${id}; the targets are ${targets.map((t) => t.id).join(', ')}`);
  return found.limit;
}
