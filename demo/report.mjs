// Formats the demo's result rows: a plain-text table for people (at most TABLE_WIDTH columns), or JSON for
// machines.

/** The widest line `formatTable` prints: the table fits a 100-column terminal without wrapping. */
export const TABLE_WIDTH = 100;

/** Adds each row's speed-up against the scenario's "no coalescing" row. */
export function withSpeedUp(rows) {
  return rows.map((row) => {
    const baseline = rows.find((r) => r.scenario === row.scenario && r.mode === 'no coalescing');
    return { ...row, speedUp: baseline ? baseline.wallMs / row.wallMs : 1 };
  });
}

const duration = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/**
 * Renders rows as an aligned text table, `requests` per scenario and mode, with the rows' notes numbered
 * beneath it (so that no line grows past TABLE_WIDTH).
 */
export function formatTable(rows, requests) {
  const header = ['scenario', 'mode', 'executions', 'wall time', 'speed-up', 'CPU time', 'failures'];
  const notes = [];
  const cells = rows.map((r) => {
    if (r.note) notes.push(`[${notes.length + 1}] ${r.note}`);
    return [
      r.scenario,
      r.note ? `${r.mode} [${notes.length}]` : r.mode,
      String(r.executions),
      duration(r.wallMs),
      `${r.speedUp.toFixed(1)}x`,
      duration(r.cpuMs),
      String(r.failures),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values) => values.map((v, i) => (i >= 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const caption = `${requests} concurrent requests per scenario and mode; CPU time: the whole process, all threads`;
  const table = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  return [...wrap(caption), '', ...table, '', ...notes.flatMap(wrap)].join('\n').trimEnd();
}

/** Breaks `text` at spaces into lines of at most TABLE_WIDTH characters (continuations indented). */
function wrap(text) {
  const lines = [''];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (lines[last].length > 0 && lines[last].length + 1 + word.length > TABLE_WIDTH) lines.push('    ' + word);
    else lines[last] += (lines[last].length > 0 ? ' ' : '') + word;
  }
  return lines;
}
