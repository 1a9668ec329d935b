// Side-by-side measurement: every ratio the benchmarks print comes from contenders measured alternately in
// one run, round after round, so that load from elsewhere on the machine (other processes, a burst of
// garbage, a CPU frequency change) lands on every contender alike, and each ratio is given as the median of
// its per-round ratios with their spread, so that a reader sees how far to trust it.
//
// The shapes, shared by every bench and by the report (lib/report.mjs, lib/chart.mjs, run.mjs):
//   Ratio    `{ median, min, max, q1, q3, rounds }`: the median of `rounds` per-round ratios, their extremes
//            and quartiles. Build one with `ratio()` of a Comparison or `summarize(perRoundRatios)`.
//   Headline `{ label, ratio, spread?: [min, max], rounds?, limit?, target? }`: one charted ratio (`ratio`
//            is the median); `headline(label, Ratio, { limit, target })` builds it. `target` names an entry of
//            lib/targets.mjs, whose limit it then takes.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Bench } from 'tinybench';
import { median, percentile } from '../../test/support/helpers.cjs';
import { targetLimit } from './targets.mjs';

/** A full garbage collection: `global.gc` under `--expose-gc` (the runner passes it), else enabled here. */
export const collect = globalThis.gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc'));

/** Fewer rounds than this give no spread worth printing. */
export const MIN_ROUNDS = 5;
/** Rounds unless told otherwise. */
export const DEFAULT_ROUNDS = 7;

/** The Ratio of per-round ratios `ratios` (at least one). */
export function summarize(ratios) {
  if (ratios.length === 0) throw new RangeError('summarize needs at least one per-round ratio');
  const sorted = [...ratios].sort((a, b) => a - b);
  return Object.freeze({
    median: percentile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: percentile(sorted, 0.25),
    q3: percentile(sorted, 0.75),
    rounds: sorted.length,
  });
}

/** The number a sample of `alternate` stands for: itself, or its `value`. */
const valueOf = (sample) => (typeof sample === 'number' ? sample : sample.value);

/** What `alternate` measured: one value per subject per round. */
export class Comparison {
  /** `samples`: subject name → what `measure` returned in each round, in round order. */
  constructor(samples, rounds) {
    this.samples = samples;
    /** How many rounds measured every subject. */
    this.rounds = rounds;
  }

  /**
   * The value (lower is better) measured for `name` in each round, in round order; `pick(sample)` chooses
   * another number that `measure` returned (`{ value, p90 }` → `(sample) => sample.p90`).
   */
  values(name, pick = valueOf) {
    const samples = this.samples.get(name);
    if (samples === undefined) throw new Error(`nothing measured for ${name}`);
    return samples.map(pick);
  }

  /** The median over the rounds of `name`'s value (or of what `pick` chooses). */
  median(name, pick = valueOf) {
    return median(this.values(name, pick));
  }

  /**
   * `numerator`'s value over `denominator`'s, round by round (both were measured in the same round, close
   * together), summarized. `denominator` may be a number instead of a name: a fixed budget. `pick` as in
   * `values`.
   */
  ratio(numerator, denominator, pick = valueOf) {
    const tops = this.values(numerator, pick);
    const bottoms = typeof denominator === 'number' ? tops.map(() => denominator) : this.values(denominator, pick);
    return summarize(tops.map((top, round) => top / bottoms[round]));
  }
}

/**
 * Measures every subject (`{ name, … }`) once per round for `rounds` rounds (at least MIN_ROUNDS; DEFAULT_ROUNDS
 * unless told), with `measure(subject)` (a number, or `{ value, … }` to keep more than the number; lower is better). The order
 * turns one place each round (A B C, B C A, C A B, …), so that no subject always runs first or always after
 * the same other, and a full garbage collection precedes every measurement, so that no subject pays for the
 * previous one's garbage.
 */
export async function alternate(subjects, measure, { rounds = DEFAULT_ROUNDS } = {}) {
  if (!Number.isInteger(rounds) || rounds < MIN_ROUNDS) {
    throw new RangeError(`alternate needs at least ${MIN_ROUNDS} rounds, got ${rounds}`);
  }
  const names = subjects.map(({ name }) => name);
  if (new Set(names).size !== names.length) throw new RangeError(`subject names must differ: ${names.join(', ')}`);
  const samples = new Map(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < subjects.length; i++) {
      const subject = subjects[(i + round) % subjects.length];
      collect();
      samples.get(subject.name).push(await measure(subject));
    }
  }
  return new Comparison(samples, rounds);
}

/**
 * Time per call of tinybench tasks (`{ name, fn, calls, hooks? }`: one `fn()` makes `calls` calls; `hooks` are
 * tinybench's `beforeAll`/`afterAll`, run around each phase of the task), measured alternately: each round
 * runs each task for `time` ms and at least `iterations` times, after a warm-up of `warmupTime` ms. The
 * Comparison's values are nanoseconds per call; each sample also keeps `rme`, tinybench's relative margin of
 * error of that round's mean in percent. Lower `iterations` for tasks that take a second.
 */
export function timeAlternately(tasks, { time = 200, warmupTime = 50, iterations = 64, rounds = DEFAULT_ROUNDS } = {}) {
  const warmupIterations = Math.ceil(iterations / 4); // tinybench's defaults are 64 and 16
  return alternate(tasks, async ({ name, fn, calls, hooks }) => {
    const bench = new Bench({ time, warmupTime, iterations, warmupIterations, throws: true, setup: collect });
    bench.add(name, fn, hooks);
    await bench.run();
    const { latency } = bench.tasks[0].result;
    return { value: (latency.mean * 1e6) / calls, rme: latency.rme };
  }, { rounds });
}

/** A Headline (see the top of this file) for the chart and the targets table. */
export function headline(label, ratio, { limit, target } = {}) {
  const bound = target === undefined ? limit : targetLimit(target);
  return {
    label,
    ratio: ratio.median,
    spread: [ratio.min, ratio.max],
    rounds: ratio.rounds,
    ...(bound === undefined ? {} : { limit: bound }),
    ...(target === undefined ? {} : { target }),
  };
}
