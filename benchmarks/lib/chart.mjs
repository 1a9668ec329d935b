// Renders the headline ratios of every bench as an SVG bar chart with ECharts' server-side renderer
// (no DOM, no browser, no canvas): `renderToSVGString` of a chart initialised with `ssr: true`. Each bar is a
// ratio's median; a whisker spans its per-round min–max (`spread`) when the bench measured one; a short
// vertical bar across the row marks its target (`limit`).
import * as echarts from 'echarts';

const PASS = '#2e7d32';
const MISS = '#c62828';
const INFO = '#5c6bc0';
const WHISKER = '#212121';
const TARGET = '#ff8f00';

/** A custom series drawing one shape per row from `value: [x0, x1, rowIndex]` with `draw(api, x0, x1, band)`. */
function overlay(name, data, draw) {
  return {
    type: 'custom',
    name,
    silent: true,
    z: 10,
    encode: { x: [0, 1], y: 2 },
    data,
    renderItem: (_, api) => {
      const start = api.coord([api.value(0), api.value(2)]);
      const end = api.coord([api.value(1), api.value(2)]);
      return draw(start, end, api.size([0, 1])[1]);
    },
  };
}

/** The min–max whisker of a ratio: a horizontal line with end caps. */
function whisker([x0, y], [x1], band) {
  const cap = band * 0.25;
  const style = { stroke: WHISKER, lineWidth: 1.5 };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: x0, y1: y, x2: x1, y2: y }, style },
      { type: 'line', shape: { x1: x0, y1: y - cap, x2: x0, y2: y + cap }, style },
      { type: 'line', shape: { x1, y1: y - cap, x2: x1, y2: y + cap }, style },
    ],
  };
}

/** A target: a thick vertical line across the row's band. */
function targetMark([x, y], _end, band) {
  const half = band * 0.45;
  return { type: 'line', shape: { x1: x, y1: y - half, x2: x, y2: y + half }, style: { stroke: TARGET, lineWidth: 3 } };
}

/**
 * `headline`: `[{ bench, label, ratio, spread?, limit? }]` (a Headline of lib/alternate.mjs with its bench).
 * Returns the SVG text.
 */
export function ratioChart(headline, title) {
  const rows = [...headline].reverse(); // ECharts draws category axes bottom-up
  const height = 100 + rows.length * 34;
  const widest = Math.max(1.5, ...rows.map(({ ratio, spread, limit }) => Math.max(ratio, spread?.[1] ?? 0, limit ?? 0)));
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 1200, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: {
      text: title,
      subtext: 'median ratio (lower is better), whisker: min–max over the alternating rounds, orange mark: target;\n'
        + 'green: median meets its target, red: misses it, blue: no target',
      left: 'center',
    },
    grid: { left: 590, right: 240, top: 90, bottom: 40 }, // room for labels whatever font renders them
    xAxis: { type: 'value', min: 0, max: Math.ceil(widest * 1.05), axisLabel: { formatter: '{value}x' } },
    yAxis: [
      { type: 'category', data: rows.map(({ bench, label }) => `${bench}: ${label}`), axisLabel: { width: 570, overflow: 'truncate' } },
      // the numbers, in a column of their own on the right, clear of bars and whiskers
      { type: 'category', position: 'right', data: rows.map(describeRatio), axisTick: { show: false }, axisLine: { show: false } },
    ],
    series: [
      {
        type: 'bar',
        data: rows.map(({ ratio, limit }) => ({
          value: Number(ratio.toFixed(2)),
          itemStyle: { color: limit === undefined ? INFO : ratio <= limit ? PASS : MISS },
        })),
        markLine: { symbol: 'none', silent: true, data: [{ xAxis: 1 }], lineStyle: { color: '#777', type: 'dashed' }, label: { show: false } },
      },
      overlay('spread', rowsWith(rows, 'spread', ({ spread }) => spread), whisker),
      overlay('target', rowsWith(rows, 'limit', ({ limit }) => [limit, limit]), targetMark),
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** `[x0, x1, rowIndex]` of the rows that have `field`. */
function rowsWith(rows, field, span) {
  return rows.flatMap((row, index) => (row[field] === undefined ? [] : [[...span(row), index]]));
}

function describeRatio({ ratio, spread, limit }) {
  const range = spread === undefined ? '' : ` (${spread[0].toFixed(2)}–${spread[1].toFixed(2)})`;
  return `${ratio.toFixed(2)}x${range}${limit === undefined ? '' : `, target ≤ ${limit}x`}`;
}
