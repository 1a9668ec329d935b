// Progress bars (cli-progress) on stderr, so `--json` output on stdout stays clean. Nothing is drawn when
// stderr is not a terminal (CI logs).
import cliProgress from 'cli-progress';

/** Starts a bar labelled `label` out of `total`; returns `{ increment, update, stop }`. */
export function startProgress(label, total) {
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(28)} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { increment: () => bar.increment(), update: (value) => bar.update(value), stop: () => bar.stop() };
}
