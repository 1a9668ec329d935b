// Go's golang.org/x/sync/singleflight (the reference design) on this machine: ns per call of Group.Do with
// 1 and 1000 callers per flight (benchmarks/go/singleflight.go), a cross-language anchor for the core rows
// of the same shapes. Needs `go` on PATH and x/sync in GOPATH mode: on Debian,
// `apt-get install -y golang-go golang-golang-x-sync-dev` (Go 1.19, x/sync under /usr/share/gocode); set
// SHARED_CALL_GOPATH to use another GOPATH. Without them the section says how to get them and nothing fails.
// Writes results/go.md (see lib/report.mjs). Run through `pnpm bench` or `node benchmarks/go.bench.mjs`.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './lib/alternate.mjs';
import { formatNs, progress, table, writeSections } from './lib/report.mjs';

const SOURCE = fileURLToPath(new URL('./go/singleflight.go', import.meta.url));
const INSTALL = '`apt-get install -y golang-go golang-golang-x-sync-dev` (Debian; or any Go with golang.org/x/sync in '
  + 'a GOPATH named by `SHARED_CALL_GOPATH`), then `node benchmarks/run.mjs --only go`';
const HEADING = '## Go `singleflight` (cross-language anchor)';
const ROUNDS = 7;

/** The section when Go or x/sync is missing: what is missing and how to get it. */
function missing(why) {
  return { markdown: `Not measured: ${why}. To measure it: ${INSTALL}.`, headline: [] };
}

function measure() {
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) return missing('`go` is not on PATH');
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: process.env.SHARED_CALL_GOPATH ?? '/usr/share/gocode',
    GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'shared-call-go-build'),
  };
  progress(`${version.stdout.trim()}: singleflight.Group.Do, ${ROUNDS} alternating rounds`);
  const run = spawnSync('go', ['run', SOURCE, '-rounds', String(ROUNDS)], { encoding: 'utf8', env, timeout: 300_000 });
  if (run.status !== 0) {
    const why = (run.stderr || String(run.error)).trim().split('\n').slice(0, 3).join(' ');
    return missing(`\`go run benchmarks/go/singleflight.go\` failed (${why})`);
  }
  const result = JSON.parse(run.stdout);
  const rows = [1, 1000].map((callers) => {
    const samples = result.rounds.filter((sample) => sample.callers === callers);
    const ns = summarize(samples.map((sample) => sample.nsPerCall));
    const executions = samples.reduce((sum, sample) => sum + sample.executionsPerFlight, 0) / samples.length;
    return [callers.toLocaleString('en-US'), `${formatNs(ns.median)} (${formatNs(ns.min)}–${formatNs(ns.max)})`, executions.toFixed(3)];
  });
  return {
    markdown: [
      `### \`singleflight.Group.Do\`, ${result.go}, GOMAXPROCS ${result.gomaxprocs} (per call)`,
      '',
      table(['callers per flight', 'time per call', 'executions per flight'], rows),
      '',
      `Median of ${ROUNDS} alternating rounds (min–max in brackets), each a \`testing.Benchmark\` of 200 ms. A flight's callers`,
      'are goroutines (one per caller, started once per benchmark run) that each call `Do` on a key of that flight;',
      "its fn returns once all have arrived, so each waiter parks on the flight's `WaitGroup` and is woken, as a",
      'Go service pays. Compare with the core section\'s "Scaling: callers per flight" rows of 1 and 1,000 callers;',
      'executions per flight above 1 are callers that arrived after the flight ended (a fresh flight, as in Go).',
    ].join('\n'),
    headline: [],
  };
}

writeSections('go', HEADING, [measure()]);
