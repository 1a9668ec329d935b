// What bounds the 10,000-distinct-keys row: the young generation. With 10,000 flights × 10 callers in flight,
// every object a flight keeps beyond the floor's survives a scavenge and is copied; with V8's default
// semi-space that copying dominates both sides (most of the time is the garbage collector's), and our extra
// bytes per flight show up multiplied. The same row is measured again here in a child process whose
// semi-space is 64 MiB (`--max-semi-space-size=64`), where that copying mostly goes: the ratio that remains is the
// code's own. Run as a script, it is that child and prints its Ratio as JSON.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { headline, timeAlternately } from '../lib/alternate.mjs';
import { contender } from '../lib/contenders.mjs';
import { flightTask, keysOf } from '../lib/flights.mjs';
import { formatRatio, progress } from '../lib/report.mjs';

const KEYS = 10_000;
const CALLERS_PER_KEY = 10;
const SEMI_SPACE_MB = 64;

/** The child: floor and shared-call alternately, 10,000 keys × 10 callers; prints the Ratio ours / floor. */
async function measureHere() {
  const compared = [contender('floor'), contender('shared-call')];
  const keys = keysOf(KEYS);
  const timed = await timeAlternately(compared.map(({ name, make }) => flightTask(name, make, keys, CALLERS_PER_KEY)), { time: 1, iterations: 12, rounds: 9 });
  process.stdout.write(JSON.stringify(timed.ratio(compared[1].name, compared[0].name)));
}

export async function youngGenerationSection() {
  progress(`scaling: ${KEYS.toLocaleString('en-US')} distinct keys with a ${SEMI_SPACE_MB} MiB semi-space`);
  const script = fileURLToPath(import.meta.url);
  const output = execFileSync(process.execPath, ['--expose-gc', `--max-semi-space-size=${SEMI_SPACE_MB}`, script], { encoding: 'utf8' });
  const ratio = JSON.parse(output);
  return {
    markdown: [
      `### What bounds ${KEYS.toLocaleString('en-US')} distinct keys in flight: the young generation`,
      '',
      `The same row (${KEYS.toLocaleString('en-US')} keys × ${CALLERS_PER_KEY} callers, shared-call / floor, alternately) in a process`,
      `started with \`--max-semi-space-size=${SEMI_SPACE_MB}\`: **${formatRatio(ratio)}**. With V8's default semi-space,`,
      'half of this row\'s time (for both sides) is the garbage collector copying the flights that survive a',
      'scavenge, so every byte a flight keeps beyond the floor (its `Flight` record and its two bound bookkeeping',
      'reactions) is paid again at each copy; given room, the code itself is within this ratio of the floor.',
    ].join('\n'),
    headline: [headline(`${KEYS.toLocaleString('en-US')} keys, ${SEMI_SPACE_MB} MiB semi-space: time / floor`, ratio)],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await measureHere();
