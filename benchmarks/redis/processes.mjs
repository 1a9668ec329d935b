// Executions of fn saved with 8 processes: each round, 8 processes × 100 concurrent callers ask for one key
// (a 50 ms "query"); counted without coalescing, with in-process coalescing only, and with Redis.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { table } from '../lib/report.mjs';

const PROCESSES = 8;
const CALLERS = 100;
const ROUNDS = 20;
const FN_MS = 50;
const child = fileURLToPath(new URL('./process.mjs', import.meta.url));

/** Runs ROUNDS rounds with every process using `strategy`; returns executions and ms per round. */
async function rounds(port, strategy) {
  const task = JSON.stringify({ port, strategy, callers: CALLERS, fnMs: FN_MS });
  const processes = Array.from({ length: PROCESSES }, () => fork(child, [task], { stdio: 'inherit' }));
  const next = (p) => new Promise((resolve) => p.once('message', resolve));
  await Promise.all(processes.map(next));
  let executions = 0;
  const started = performance.now();
  for (let round = 0; round < ROUNDS; round++) {
    const replies = processes.map(next);
    for (const p of processes) p.send(`${strategy}:${round}`);
    for (const count of await Promise.all(replies)) executions += count;
  }
  const ms = (performance.now() - started) / ROUNDS;
  const exited = processes.map((p) => new Promise((resolve) => p.once('exit', resolve)));
  for (const p of processes) p.send('stop');
  await Promise.all(exited);
  return { executions: executions / ROUNDS, ms };
}

export async function processesSection(port) {
  const strategies = ['none', 'in-process', 'redis'];
  const measured = [];
  for (const strategy of strategies) measured.push(await rounds(port, strategy));
  const calls = PROCESSES * CALLERS;
  const rows = strategies.map((strategy, i) => [
    strategy === 'redis' ? '@shared-call/redis' : strategy === 'in-process' ? 'AsyncSharedCall per process' : 'no coalescing',
    measured[i].executions.toFixed(2),
    `${((1 - measured[i].executions / calls) * 100).toFixed(2)}%`,
    `${measured[i].ms.toFixed(1)} ms`,
  ]);
  const redis = measured[2].executions;
  return {
    markdown: [
      `### Executions saved: ${PROCESSES} processes × ${CALLERS} concurrent callers of one key (${FN_MS} ms fn)`,
      '',
      table(['strategy', 'executions per round', 'saved', 'round time'], rows),
      '',
      `Mean over ${ROUNDS} rounds. With Redis the ${calls} calls of a round cost ${redis.toFixed(2)} execution(s),`,
      `${(measured[1].executions / redis).toFixed(1)}x fewer than coalescing inside each process only.`,
    ].join('\n'),
    headline: [{ label: 'redis executions / in-process executions', ratio: redis / measured[1].executions }],
  };
}
