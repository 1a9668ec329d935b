import { execFile } from 'node:child_process';
import { join } from 'node:path';

// The demo end to end, as `pnpm demo` runs it (on the built packages): real SQLite in a piscina pool, real HTTP
// servers on loopback. Small request counts keep it quick; the claims checked are the table's.
const cli = join(__dirname, '..', 'cli.mjs');
const root = join(__dirname, '..', '..');
const TABLE_WIDTH = 100; // report.mjs's TABLE_WIDTH (an ES module, which this CommonJS test cannot import)

interface Row {
  scenario: string;
  mode: string;
  requests: number;
  executions: number;
  failures: number;
  wallMs: number;
  cpuMs: number;
  speedUp: number;
}

function run(file: string, args: string[], timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout, cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const runDemo = (args: string[]) => run(process.execPath, [cli, ...args]);

describe('pnpm demo', () => {
  test('every scenario: coalescing cuts executions, keeps failures at zero', async () => {
    const { code, stdout, stderr } = await runDemo(['--requests', '30', '--json']);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const rows = JSON.parse(stdout) as Row[];
    const row = (scenario: string, mode: string) => rows.find((r) => r.scenario === scenario && r.mode.startsWith(mode))!;

    expect(row('database', 'no coalescing')).toMatchObject({ requests: 30, executions: 30, failures: 0 });
    expect(row('database', 'AsyncSharedCall')).toMatchObject({ executions: 1, failures: 0 });
    const inPool = row('database', 'sync-workers');
    expect(inPool.failures).toBe(0);
    expect(inPool.executions).toBeLessThan(30); // tasks running at once in different threads share a query

    expect(row('cache-stampede', 'no coalescing').executions).toBe(30);
    expect(row('cache-stampede', 'AsyncSharedCall')).toMatchObject({ executions: 1, failures: 0 });

    expect(row('rate-limit', 'no coalescing').failures).toBeGreaterThan(0);
    expect(row('rate-limit', 'AsyncSharedCall')).toMatchObject({ executions: 1, failures: 0 });

    expect(row('webhooks', 'no coalescing').executions).toBe(30);
    expect(row('webhooks', 'group').executions).toBeLessThan(30);

    // Every thread of the pool derives the batch key without coalescing (each caches it); with sync-workers one
    // derives it while the others block for its result, so less CPU is burnt. Bounds, not exact counts: a thread
    // of a loaded machine may take no item, or reach the key after its derivation ended.
    const [alone, coalesced] = [row('cpu-pipeline', 'no coalescing'), row('cpu-pipeline', 'sync-workers')];
    expect(alone).toMatchObject({ requests: 30, failures: 0 });
    expect(alone.executions).toBeGreaterThanOrEqual(2);
    expect(alone.executions).toBeLessThanOrEqual(4);
    expect(coalesced.failures).toBe(0);
    expect(coalesced.executions).toBeLessThan(alone.executions);
    expect(coalesced.cpuMs).toBeLessThan(alone.cpuMs);

    for (const r of rows) {
      expect(r.speedUp).toBeGreaterThan(0);
      expect(r.cpuMs).toBeGreaterThan(0);
    }
  }, 180_000);

  test('--scenario runs one scenario and prints a table by default, no line wider than 100 columns', async () => {
    const { code, stdout } = await runDemo(['--scenario', 'webhooks', '--requests', '5']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^5 concurrent requests per scenario and mode/m);
    expect(stdout).toMatch(/scenario\s+mode\s+executions\s+wall time\s+speed-up\s+CPU time\s+failures/);
    expect(stdout).toMatch(/webhooks\s+group\(\{ keyFn: webhook id \}\) \[2\]\s+1\s/);
    expect(stdout).toMatch(/^\[2\] webhooks: 0 duplicate charges for 1 webhooks$/m);
    expect(stdout).not.toMatch(/database/);
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(TABLE_WIDTH);
  }, 60_000);

  test('`pnpm --silent demo --json`: standard output is only the JSON (the build logs to standard error)', async () => {
    const pnpm = ['-y', 'pnpm@12.4.2', '--silent', 'demo', '--json', '--scenario', 'rate-limit', '--requests', '3'];
    const { code, stdout, stderr } = await run('npx', pnpm, 300_000);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const rows = JSON.parse(stdout) as Row[];
    expect(rows.map((r) => [r.scenario, r.mode])).toEqual([
      ['rate-limit', 'no coalescing'],
      ['rate-limit', 'AsyncSharedCall client'],
    ]);
  }, 300_000);

  test.each([
    [['--requests', '0'], /--requests must be a whole number from 1 to 100000, got "0"/],
    [['--requests', 'many'], /--requests must be a whole number/],
    [['--scenario', 'nope'], /unknown --scenario "nope"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('bad flags %p get a usage message and exit code 2', async (args, message) => {
    const { code, stderr } = await runDemo(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/usage: pnpm demo/);
  });
});
