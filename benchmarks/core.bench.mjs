// Benchmarks of @shared-call/core, all in this one process: the per-call cost of a coalesced call against
// the floor and the peers, the same with diagnostics subscribers attached or not, automatic keys against
// hand-written ones, memory per waiter with 1,000,000 waiters, and scaling with callers per flight and
// distinct keys. Writes results/core.md (see lib/report.mjs).
// Run through `pnpm bench` (or `node --expose-gc benchmarks/core.bench.mjs`) after `pnpm build`.
import { autoKeySection } from './core/auto-key.mjs';
import { diagnosticsSection } from './core/diagnostics.mjs';
import { memorySection } from './core/memory.mjs';
import { peersSection } from './core/peers.mjs';
import { scalingSection } from './core/scaling.mjs';
import { youngGenerationSection } from './core/young-generation.mjs';
import { progress, writeSections } from './lib/report.mjs';

const sections = [
  ['coalesced call vs floor and peers', peersSection],
  ['automatic keys', autoKeySection],
  ['1,000,000 waiters', memorySection],
  ['scaling', scalingSection],
  ['young generation', youngGenerationSection],
  ['diagnostics channels', diagnosticsSection], // last: see core/diagnostics.mjs
];

const results = [];
for (const [title, run] of sections) {
  progress(title);
  results.push(await run());
}
writeSections('core', '## @shared-call/core', results);
