// The rule that says whether a soak series grows. A series is `[{ t, value }]` (minutes since the start, and
// the heap in bytes or the p99 latency in ms of one sample). The first WARMUP of the run is dropped
// (compilation, pools and caches filling); the rest is cut in two halves. The series GROWS when both hold:
//   - level: the last half's median exceeds the first half's by more than `relative` of it and more than
//     `absolute` (noise on a shared machine moves single samples, not the median of a half), and
//   - trend: the least-squares slope over the last half is positive (it is still rising at the end, so the
//     rise is not a step taken once, such as a pool reaching its size).
// A leak satisfies both for any run long enough to hold a few samples per half.

/** Fraction of the run dropped at its start. */
export const WARMUP = 0.2;

/** The bounds of the rule, per measure: heap may drift by 5 % and 1 MiB, p99 by 50 % and 1 ms. */
export const TOLERANCE = Object.freeze({
  heap: Object.freeze({ relative: 0.05, absolute: 2 ** 20 }),
  p99: Object.freeze({ relative: 0.5, absolute: 1 }),
});

const medianOf = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Least-squares slope of `value` over `t` (per minute); 0 with fewer than two distinct times. */
export function slope(samples) {
  const n = samples.length;
  const meanT = samples.reduce((sum, { t }) => sum + t, 0) / n;
  const meanV = samples.reduce((sum, { value }) => sum + value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { t, value } of samples) {
    covariance += (t - meanT) * (value - meanV);
    variance += (t - meanT) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * Applies the rule to `samples` with `tolerance` (`{ relative, absolute }`). Returns the medians of the two
 * halves, the slope of the last, and `grows`; throws a RangeError with fewer than 4 samples after warm-up.
 */
export function judgeGrowth(samples, { relative, absolute }) {
  const end = samples[samples.length - 1]?.t ?? 0;
  const kept = samples.filter(({ t }) => t >= end * WARMUP);
  if (kept.length < 4) throw new RangeError(`a soak series needs at least 4 samples after warm-up, got ${kept.length}`);
  const half = Math.floor(kept.length / 2);
  const first = medianOf(kept.slice(0, half).map(({ value }) => value));
  const last = medianOf(kept.slice(half).map(({ value }) => value));
  const trend = slope(kept.slice(half));
  const grows = last - first > Math.max(relative * first, absolute) && trend > 0;
  return { first, last, slope: trend, grows };
}
