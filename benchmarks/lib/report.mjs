// Markdown output of the benchmarks. Every `*.bench.mjs` ends with `writeSection(name, markdown, headline)`,
// through `writeSections(name, heading, sections)` when it is made of sections;
// the runner (`benchmarks/run.mjs`) stitches `results/<name>.md` into RESULTS.md and charts the headline
// ratios of `results/<name>.json` into docs/benchmarks.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** A ratio such as `1.04x`. */
export const formatRatio = (ratio) => `${ratio.toFixed(2)}x`;

/** A ratio with its target: `1.04x PASS (≤ 1.2x)` or `1.31x MISS (≤ 1.2x)`. */
export function verdict(ratio, limit) {
  return `${formatRatio(ratio)} ${ratio <= limit ? 'PASS' : 'MISS'} (≤ ${limit}x)`;
}

/**
 * Writes this bench's markdown section and its headline ratios (`[{ label, ratio, limit? }]`, charted by
 * the runner) to the results folder, and prints the section.
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
