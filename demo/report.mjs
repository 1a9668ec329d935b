// Formats the demo's result rows: a plain-text table for people, or JSON for machines.

/** Adds each row's speed-up against the scenario's "no coalescing" row. */
export function withSpeedUp(rows) {
  return rows.map((row) => {
    const baseline = rows.find((r) => r.scenario === row.scenario && r.mode === 'no coalescing');
    return { ...row, speedUp: baseline ? baseline.wallMs / row.wallMs : 1 };
  });
}

/** Renders rows as an aligned text table. */
export function formatTable(rows) {
  const header = ['scenario', 'mode', 'requests', 'executions', 'wall time', 'speed-up', 'failures', 'note'];
  const cells = rows.map((r) => [
    r.scenario,
    r.mode,
    String(r.requests),
    String(r.executions),
    r.wallMs >= 1000 ? `${(r.wallMs / 1000).toFixed(3)} s` : `${r.wallMs.toFixed(1)} ms`,
    `${r.speedUp.toFixed(1)}x`,
    String(r.failures),
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values) => values.map((v, i) => (i >= 2 && i <= 6 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
