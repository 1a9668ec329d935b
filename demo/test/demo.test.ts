import { execFile } from 'node:child_process';
import { join } from 'node:path';

// The demo end to end, as `pnpm demo` runs it (on the built packages): real SQLite in a piscina pool, real HTTP
// servers on loopback. Small request counts keep it quick; the claims checked are the table's.
const cli = join(__dirname, '..', 'cli.mjs');

interface Row {
  scenario: string;
  mode: string;
  requests: number;
  executions: number;
  failures: number;
  wallMs: number;
  speedUp: number;
}

function runDemo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

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
    for (const r of rows) expect(r.speedUp).toBeGreaterThan(0);
  }, 180_000);

  test('--scenario runs one scenario and prints a table by default', async () => {
    const { code, stdout } = await runDemo(['--scenario', 'rate-limit', '--requests', '5']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/scenario\s+mode\s+requests\s+executions\s+wall time\s+speed-up\s+failures/);
    expect(stdout).toMatch(/rate-limit\s+AsyncSharedCall client\s+5\s+1\s/);
    expect(stdout).not.toMatch(/database/);
  }, 60_000);

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
