// Benchmarks of @shared-call/sync-workers, side by side in one run: uncontended call overhead against calling
// fn directly; a waiter's wake-up after the leader posts against a raw Atomics ping-pong hop; 8 threads
// needing one 20 ms CPU-bound result; a piscina pool of 8 running 1000 tasks over 10 keys. Writes
// results/sync-workers.md (see lib/report.mjs). Run through `pnpm bench` after `pnpm build`.
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { SharedCall, shared } from '@shared-call/sync-workers';
import { createPool } from '@shared-call/sync-workers/piscina';
import { cellBuffer, CPU_CELLS, HOP_CELLS, POOL_CELLS } from '../test/support/cells.cjs';
import { median, percentile } from '../test/support/helpers.cjs';
import { headline, summarize, timeAlternately } from './lib/alternate.mjs';
import { targetLimit } from './lib/targets.mjs';
import { formatNs, formatRatio, progress, table, verdict, writeSections } from './lib/report.mjs';
import { calibrate } from './sync-workers/work.mjs';

const HARNESS = new URL('./sync-workers/harness.mjs', import.meta.url);
const POOL_TASK = new URL('./sync-workers/pool-task.mjs', import.meta.url).href;

/** Runs harness jobs in parallel threads over shared cells; resolves when all are done. */
function runJobs(jobs, shared) {
  return Promise.all(
    jobs.map((data) => new Promise((resolve, reject) => {
      const worker = new Worker(HARNESS, { workerData: { ...shared, ...data } });
      worker.once('message', resolve);
      worker.once('error', reject);
    })),
  );
}

/** Issue 13's budget for what `sc.call` adds to `fn()` when nobody else calls the key. */
const OVERHEAD_BUDGET_NS = 500;

async function overheadSection() {
  const sc = new SharedCall();
  const fn = () => 42;
  const times = await timeAlternately([
    { name: 'direct', fn, calls: 1 },
    { name: 'call', fn: () => sc.call('user:42', fn), calls: 1 },
  ]);
  // Each round's overhead (call minus direct, measured side by side) over the budget: the Ratio's spread is
  // the rounds' spread.
  const direct = times.values('direct');
  const overheads = times.values('call').map((call, round) => call - direct[round]);
  const overBudget = summarize(overheads.map((ns) => ns / OVERHEAD_BUDGET_NS));
  const range = `${formatNs(Math.min(...overheads))}–${formatNs(Math.max(...overheads))}`;
  return {
    markdown: [
      '### Uncontended `call` overhead (main thread, no other caller)',
      '',
      table(['what', 'time per call', 'vs budget'], [
        ['`fn()` directly', formatNs(times.median('direct')), ''],
        ['`sc.call(key, fn)`', formatNs(times.median('call')), ''],
        ['overhead (call − direct, per round)', `${formatNs(median(overheads))} (${range})`, verdict(overBudget, targetLimit('uncontended-call'))],
      ]),
      '',
      `Median of ${times.rounds} alternating rounds, with the rounds' lowest and highest in brackets; the budget is`,
      `${formatNs(OVERHEAD_BUDGET_NS)}. The hot key is found in a per-thread cache of encoded keys, and the probe`,
      'window is scanned with plain reads (an `Atomics.load` costs ~25 ns on Node 20); see “A slot’s life” in docs/sync-workers.md.',
    ].join('\n'),
    headline: [headline(`uncontended call overhead / ${formatNs(OVERHEAD_BUDGET_NS)} budget`, overBudget, { target: 'uncontended-call' })],
  };
}

async function wakeSection(rounds = 300, repeats = 5, warmup = 2000) {
  const measure = async (jobs, busy, handle) => {
    const cells = cellBuffer(HOP_CELLS.COUNT);
    const times = new SharedArrayBuffer(16 * rounds);
    await runJobs(jobs.map((job) => ({ job })), { cells, times, rounds, warmup, busy, handle });
    const t = new Float64Array(times);
    return Array.from({ length: rounds }, (_, r) => (t[2 * r + 1] - t[2 * r]) * 1000); // µs
  };
  const rows = [];
  const headlines = [];
  for (const [busy, before] of [[false, 'idle'], [true, 'busy']]) {
    // Alternating runs, raw and flight in turn (which goes first swaps every pair): load from elsewhere on the
    // machine hits both alike. Each pair gives one ratio per percentile; the row shows their median and, in
    // brackets, their spread.
    const raw = [];
    const flight = [];
    const ratios = { p50: [], p90: [] };
    for (let i = 0; i < repeats; i++) {
      const runRaw = () => measure(['rawReceiver', 'rawSender'], busy);
      const runFlight = () => measure(['flightWaiter', 'flightLeader'], busy, new SharedCall().handle);
      const [rawRun, flightRun] = i % 2 === 0
        ? [await runRaw(), await runFlight()]
        : [await runFlight(), await runRaw()].reverse();
      raw.push(...rawRun);
      flight.push(...flightRun);
      ratios.p50.push(median(flightRun) / median(rawRun));
      ratios.p90.push(percentile(flightRun, 0.9) / percentile(rawRun, 0.9));
    }
    const cells = (values) => [`${median(values).toFixed(1)} µs`, `${percentile(values, 0.9).toFixed(1)} µs`];
    const p50 = summarize(ratios.p50);
    const p90 = summarize(ratios.p90);
    rows.push([before, 'raw `Atomics.notify` → parked `Atomics.wait` returns', ...cells(raw), '1.00x', '1.00x']);
    rows.push([before, 'leader returns from fn → parked waiter’s `call` returns the value', ...cells(flight), verdict(p50, targetLimit('wake-p50')), verdict(p90, targetLimit('wake-p90'))]);
    headlines.push(headline(`wake-up p50 / raw hop (notifier ${before})`, p50, { target: 'wake-p50' }));
    headlines.push(headline(`wake-up p90 / raw hop (notifier ${before})`, p90, { target: 'wake-p90' }));
  }
  return {
    markdown: [
      '### Waiter wake-up after the leader posts vs a raw Atomics hop (two threads, waiter parked)',
      '',
      table(['notifying thread before', 'what', 'median', 'p90', 'p50 vs raw hop', 'p90 vs raw hop'], rows),
      '',
      `${repeats} alternating pairs of runs (raw and flight, the first of each pair swapping) of ${rounds} timed hops each, after ${warmup} untimed`,
      'ones (so that the code is compiled); each ratio is the median over the pairs of that pair’s ratio, with the',
      'lowest and highest in brackets; the median and p90 columns pool every run. The notifying thread spends the',
      'last millisecond before it posts asleep (it starts cold) or busy (hot, as after a CPU-bound fn). The flight',
      'adds publishing (encode, one compareExchange, notify) and reading (decode, dropping the ref) to the same hop.',
    ].join('\n'),
    headline: headlines,
  };
}

async function cpuSection(threads = 8, rounds = 10) {
  const iterations = calibrate(20);
  const cells = new Int32Array(cellBuffer(CPU_CELLS.ARRIVALS + 2 * rounds));
  const done = runJobs(Array.from({ length: threads }, () => ({ job: 'cpu' })), {
    cells: cells.buffer, rounds, threads, iterations, handle: new SharedCall().handle,
  });
  const phase = async (number) => {
    const executions = cells[CPU_CELLS.EXECUTIONS];
    const cpu = process.cpuUsage();
    const started = performance.now();
    Atomics.store(cells, CPU_CELLS.PHASE, number);
    Atomics.notify(cells, CPU_CELLS.PHASE);
    while (Atomics.load(cells, CPU_CELLS.PHASE_DONE) < threads * number) await new Promise((resolve) => setTimeout(resolve, 1));
    const used = process.cpuUsage(cpu);
    return {
      executions: (cells[CPU_CELLS.EXECUTIONS] - executions) / rounds,
      cpuMs: (used.user + used.system) / 1000 / rounds,
      wallMs: (performance.now() - started) / rounds,
    };
  };
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the threads start
  const plain = await phase(1);
  const coalesced = await phase(2);
  await done;
  const row = (name, m) => [name, m.executions.toFixed(2), `${m.cpuMs.toFixed(1)} ms`, `${m.wallMs.toFixed(1)} ms`];
  const cpuRatio = coalesced.cpuMs / plain.cpuMs;
  return {
    markdown: [
      `### ${threads} threads × one 20 ms CPU-bound function of one key (per round, mean of ${rounds})`,
      '',
      table(['strategy', 'executions', 'process CPU', 'wall'], [row('uncoalesced', plain), row('`sc.call`', coalesced)]),
      '',
      `Coalesced CPU is ${formatRatio(cpuRatio)} of uncoalesced (ideal 1/${threads} = ${formatRatio(1 / threads)}).`,
    ].join('\n'),
    headline: [{ label: `CPU, ${threads} threads one key: coalesced / uncoalesced`, ratio: cpuRatio }],
  };
}

async function poolSection(tasks = 1000, keys = 10, threads = 8) {
  const iterations = calibrate(5);
  const orders = {
    'bursts (100 tasks per key in a row)': (i) => `key-${Math.floor(i / (tasks / keys))}`,
    'random keys': () => `key-${Math.floor(Math.random() * keys)}`,
  };
  const run = async (pool, coalesced, keyOf) => {
    const executions = cellBuffer(POOL_CELLS.COUNT);
    await Promise.all(Array.from({ length: threads * 2 }, () => pool.run({ key: 'warm', iterations: 1, coalesced, executions })));
    Atomics.store(new Int32Array(executions), POOL_CELLS.EXECUTIONS, 0);
    const started = performance.now();
    await Promise.all(Array.from({ length: tasks }, (_, i) => pool.run({ key: keyOf(i), iterations, coalesced, executions })));
    return { ms: performance.now() - started, executions: new Int32Array(executions)[POOL_CELLS.EXECUTIONS] };
  };
  const plainPool = new Piscina({ filename: POOL_TASK, minThreads: threads, maxThreads: threads });
  const sharedPool = createPool({ filename: POOL_TASK, minThreads: threads, maxThreads: threads });
  const rows = [];
  const headline = [];
  try {
    for (const [order, keyOf] of Object.entries(orders)) {
      const plain = await run(plainPool, false, keyOf);
      const coalesced = await run(sharedPool, true, keyOf);
      rows.push([order, 'uncoalesced pool', String(plain.executions), `${plain.ms.toFixed(0)} ms`, '1.00x']);
      rows.push([order, '`createPool` + `shared.call`', String(coalesced.executions), `${coalesced.ms.toFixed(0)} ms`, formatRatio(coalesced.ms / plain.ms)]);
      headline.push({ label: `piscina ${tasks} tasks, ${order}: time coalesced / uncoalesced`, ratio: coalesced.ms / plain.ms });
    }
  } finally {
    await Promise.all([plainPool.destroy(), sharedPool.destroy()]);
  }
  return {
    markdown: [
      `### piscina, ${threads} workers, ${tasks} tasks over ${keys} keys of a 5 ms CPU-bound function`,
      '',
      table(['key order', 'pool', 'executions', 'time', 'time vs uncoalesced'], rows),
      '',
      'Coalescing saves what runs at the same time: tasks of one key that arrive together share a flight;',
      'with random keys, only tasks whose key is already being computed by another worker share it.',
    ].join('\n'),
    headline,
  };
}

void shared; // the process-wide table exists before any pool worker starts
progress('uncontended call overhead');
const overhead = await overheadSection();
progress('wake-up latency');
const wake = await wakeSection();
progress('8 threads, one key');
const cpu = await cpuSection();
progress('piscina pool');
const pool = await poolSection();
writeSections('sync-workers', '## sync-workers', [overhead, wake, cpu, pool]);
