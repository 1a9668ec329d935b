// Markdown output of the benchmarks. Every `*.bench.mjs` ends with `writeSection(name, markdown, headline)`,
// through `writeSections(name, heading, sections)` when it is made of sections;
// the runner (`benchmarks/run.mjs`) stitches `results/<name>.md` into RESULTS.md and charts the headline
// ratios of `results/<name>.json` into docs/benchmarks.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { targets } from './targets.mjs';

/** Where sections go: `BENCH_RESULTS_DIR` (set by the runner) or `benchmarks/results`. */
export const resultsDir = process.env.BENCH_RESULTS_DIR ?? fileURLToPath(new URL('../results', import.meta.url));

/** A markdown table; cells are printed as given. */
export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Nanoseconds, to three significant digits, switching to µs and ms when large. */
export function formatNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${ns.toPrecision(3)} ns`;
}

/** Bytes, rounded to whole bytes. */
export const formatBytes = (bytes) => `${Math.round(bytes)} B`;

/**
 * A ratio such as `1.04x`, or for a Ratio of lib/alternate.mjs its median and the range of its per-round
 * ratios: `1.04x (0.98–1.10)`.
 */
export function formatRatio(ratio) {
  if (typeof ratio === 'number') return `${ratio.toFixed(2)}x`;
  return `${ratio.median.toFixed(2)}x (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

/**
 * A ratio (a number or a Ratio) with its target: `1.04x PASS (≤ 1.2x)` or `1.31x (1.20–1.45) MISS (≤ 1.2x)`.
 * A Ratio passes when its median is within the limit; its range shows how sure that is.
 */
export function verdict(ratio, limit) {
  const value = typeof ratio === 'number' ? ratio : ratio.median;
  return `${formatRatio(ratio)} ${value <= limit ? 'PASS' : 'MISS'} (≤ ${limit}x)`;
}

/** A Headline's ratio as a Ratio-like value for `formatRatio`/`verdict`: with its spread when it has one. */
const headlineRatio = ({ ratio, spread }) => (spread === undefined ? ratio : { median: ratio, min: spread[0], max: spread[1] });

/**
 * The targets table of RESULTS.md: for every target of lib/targets.mjs, each headline tagged with it in
 * `headlines` (`[{ bench, ...Headline }]`) with its verdict, or a row saying that its bench has not
 * measured it yet.
 */
export function targetsSummary(headlines) {
  const rows = targets.flatMap(({ id, bench, what, limit }) => {
    const measured = headlines.filter((entry) => entry.target === id);
    if (measured.length === 0) return [[bench, what, `≤ ${limit}x`, '—', `not measured yet (no headline with \`target: '${id}'\`)`]];
    return measured.map((entry) => [bench, what, `≤ ${limit}x`, entry.label, verdict(headlineRatio(entry), limit)]);
  });
  return [
    '## Targets',
    '',
    'Issue 13\'s targets, each from the run of its bench below: median of the per-round ratios of an alternating',
    'run, min–max in brackets (ratios without brackets come from a bench not yet measuring alternately).',
    '',
    table(['bench', 'what', 'target', 'row', 'measured'], rows),
    '',
  ].join('\n');
}

/** The note under a table of alternately measured ratios: how many rounds, and what the range is. */
export function spreadNote(rounds) {
  return `Ratios: median of ${rounds} alternating rounds (min–max of the per-round ratios in brackets).`;
}

/**
 * Writes this bench's markdown section and its headline ratios (Headlines, see lib/alternate.mjs:
 * `{ label, ratio, spread?, rounds?, limit?, target? }`, charted by the runner) to the results folder, and
 * prints the section.
 */
export function writeSection(name, markdown, headline = []) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.md`), markdown.trimEnd() + '\n');
  writeMeta(name, headline);
  process.stdout.write(markdown.trimEnd() + '\n');
}

/**
 * {@link writeSection} for a bench made of sections (`[{ markdown, headline }]`): `heading`, then the sections'
 * markdown separated by blank lines; the headline ratios of every section, in order.
 */
export function writeSections(name, heading, sections) {
  const markdown = [heading, '', sections.map((section) => section.markdown).join('\n\n')].join('\n');
  writeSection(name, markdown, sections.flatMap((section) => section.headline));
}

/** results/NAME.json: the headline ratios and when and on which Node they were measured. */
export function writeMeta(name, headline = []) {
  const measured = { date: new Date().toISOString(), node: process.version };
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify({ measured, headline }, null, 2) + '\n');
}

/** Progress for the person watching (stderr, so that stdout stays the section). */
export const progress = (message) => process.stderr.write(`  … ${message}\n`);
