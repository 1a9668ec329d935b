// Renders the headline ratios of every bench as an SVG bar chart with ECharts' server-side renderer
// (no DOM, no browser, no canvas): `renderToSVGString` of a chart initialised with `ssr: true`.
import * as echarts from 'echarts';

const PASS = '#2e7d32';
const MISS = '#c62828';
const INFO = '#5c6bc0';

/** `headline`: `[{ bench, label, ratio, limit? }]`. Returns the SVG text. */
export function ratioChart(headline, title) {
  const rows = [...headline].reverse(); // ECharts draws category axes bottom-up
  const height = 90 + rows.length * 34;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 1060, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: title, subtext: 'ratio (lower is better); green: meets its target, red: misses it, blue: no target', left: 'center' },
    grid: { left: 520, right: 110, top: 80, bottom: 40 }, // room for labels whatever font renders them
    xAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value}x' } },
    yAxis: { type: 'category', data: rows.map(({ bench, label }) => `${bench}: ${label}`), axisLabel: { width: 440, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: rows.map(({ ratio, limit }) => ({
          value: Number(ratio.toFixed(2)),
          itemStyle: { color: limit === undefined ? INFO : ratio <= limit ? PASS : MISS },
        })),
        label: { show: true, position: 'right', formatter: ({ dataIndex }) => describeRatio(rows[dataIndex]) },
        markLine: { symbol: 'none', silent: true, data: [{ xAxis: 1 }], lineStyle: { color: '#777', type: 'dashed' }, label: { show: false } },
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

function describeRatio({ ratio, limit }) {
  return limit === undefined ? `${ratio.toFixed(2)}x` : `${ratio.toFixed(2)}x (≤ ${limit}x)`;
}
