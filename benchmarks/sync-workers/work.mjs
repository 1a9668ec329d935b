// The CPU-bound function of the sync-workers benchmarks: a fixed number of iterations (not a fixed time, so
// that threads competing for cores really cost CPU time).
export function burn(iterations) {
  let hash = 2166136261;
  for (let i = 0; i < iterations; i++) hash = Math.imul(hash ^ (i & 0xff), 16777619);
  return hash >>> 0;
}

/** Iterations of {@link burn} that take about `ms` on this machine, on one thread. */
export function calibrate(ms) {
  burn(1e6);
  const started = performance.now();
  burn(2e7);
  return Math.round((2e7 * ms) / (performance.now() - started));
}
