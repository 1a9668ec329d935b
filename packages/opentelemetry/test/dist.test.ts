import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The published shape: after `pnpm build`, plain Node (no ts-node) loads the package by name both ways, and
// the instrumentation it gives subscribes to what the built core publishes.
const root = join(__dirname, '..', '..', '..');
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 20_000 });
const program = `
  const exporter = new InMemorySpanExporter();
  const instrumentation = new SharedCallInstrumentation();
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  const sc = new AsyncSharedCall();
  Promise.all([sc.call('k', async () => 1), sc.call('k', async () => 1)]).then(() =>
    console.log(exporter.getFinishedSpans().map((s) => s.name).join(',')));`;

describe('built package (`pnpm test` builds it first)', () => {
  const expected = 'shared-call flight,shared-call wait';

  test('require("@shared-call/opentelemetry") works from CommonJS', () => {
    const out = node(['-e', `
      const { SharedCallInstrumentation } = require('@shared-call/opentelemetry');
      const { AsyncSharedCall } = require('@shared-call/core');
      const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
      ${program}`]);
    expect(out.trim()).toBe(expected);
  });

  test('import { SharedCallInstrumentation } from "@shared-call/opentelemetry" works from ESM', () => {
    const out = node(['--input-type=module', '-e', `
      import { SharedCallInstrumentation } from '@shared-call/opentelemetry';
      import { AsyncSharedCall } from '@shared-call/core';
      import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
      ${program}`]);
    expect(out.trim()).toBe(expected);
  });

  test('type declarations are published where package.json says', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    type Condition = { types: string; default: string };
    const pkg = require('../package.json') as { types: string; exports: { '.': Record<'import' | 'require', Condition> } };
    expect(existsSync(join(__dirname, '..', pkg.types))).toBe(true);
    for (const condition of ['import', 'require'] as const) {
      expect(existsSync(join(__dirname, '..', pkg.exports['.'][condition].types))).toBe(true);
    }
  });
});
