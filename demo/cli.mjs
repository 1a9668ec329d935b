// `pnpm demo`: runs each scenario without and with coalescing on real parts (SQLite in a piscina pool, HTTP
// servers on loopback, a CPU-bound worker pool) and prints one table. Flags: --requests N, --scenario NAME,
// --json, --help. Standard output carries the results only (progress goes to standard error).
import { parseArgs } from 'node:util';
import { createDatabase } from './database.mjs';
import { startProgress } from './progress.mjs';
import { createQueryPool } from './query-pool.mjs';
import { formatTable, withSpeedUp } from './report.mjs';
import * as cacheStampede from './scenarios/cache-stampede.mjs';
import * as cpuPipeline from './scenarios/cpu-pipeline.mjs';
import * as database from './scenarios/database.mjs';
import * as rateLimit from './scenarios/rate-limit.mjs';
import * as webhooks from './scenarios/webhooks.mjs';

const SCENARIOS = [database, cacheStampede, rateLimit, webhooks, cpuPipeline];
const DATABASE_ROWS = 500_000;
const USAGE = `usage: pnpm demo [--requests N] [--scenario NAME] [--json]

  --requests N     concurrent requests per scenario and mode (1 to 100000, default 100)
  --scenario NAME  run one scenario only (default: all):
                   ${SCENARIOS.map((s) => s.name).join(', ')}
  --json           print the results as JSON instead of a table`;

function parseFlags(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      requests: { type: 'string', default: '100' },
      scenario: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const requests = Number(values.requests);
  if (!Number.isInteger(requests) || requests < 1 || requests > 100_000) {
    throw new Error(`--requests must be a whole number from 1 to 100000, got ${JSON.stringify(values.requests)}`);
  }
  const chosen = values.scenario === undefined ? SCENARIOS : SCENARIOS.filter((s) => s.name === values.scenario);
  if (chosen.length === 0) throw new Error(`unknown --scenario ${JSON.stringify(values.scenario)}`);
  return { requests, scenarios: chosen, json: values.json, help: values.help };
}

async function main() {
  let flags;
  try {
    flags = parseFlags(process.argv.slice(2).filter((arg) => arg !== '--'));
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (flags.help) return console.log(USAGE);

  const needsDatabase = flags.scenarios.some((s) => s === database || s === cacheStampede);
  let db;
  let pool;
  if (needsDatabase) {
    const bar = startProgress('Building SQLite database', DATABASE_ROWS);
    db = createDatabase(DATABASE_ROWS, bar.update);
    bar.stop();
    pool = createQueryPool(db.path);
  }
  const rows = [];
  try {
    for (const scenario of flags.scenarios) {
      const bar = startProgress(scenario.title, flags.requests * scenario.modeCount);
      rows.push(...(await scenario.run({ requests: flags.requests, pool, progress: bar })));
      bar.stop();
    }
  } finally {
    await pool?.close();
    db?.remove();
  }
  const results = withSpeedUp(rows);
  console.log(flags.json ? JSON.stringify(results, null, 2) : `\n${formatTable(results, flags.requests)}`);
}

await main();
