/**
 * Draws each line and bar chart's spec with Chart.js in the page's look and locale:
 * - the value axis starts at zero unless the spec's `beginAtZero` is `false`;
 * - ticks and tooltips show values in their series' format (the `data-formats` dictionary the
 *   server rendered), in the current locale; date labels are re-formatted from their raw values;
 * - colours come from the theme's CSS custom properties (`--series` first: the accent), fonts
 *   from the root's computed `font-family`, so a theme, accent, font or locale change restyles
 *   every chart in place ({@link restyle}), with no request.
 * @module
 */
import type { ChartConfiguration, ChartData, ChartOptions } from 'chart.js';
import type { ChartSpec } from '../protocol/page-markup.js';
import { byId, root } from './dom.js';
import { chartLibrary, chartOn, type DrawnChart } from './chart-library.js';
import { specs } from './chart-specs.js';
import { pointClick } from './clicks.js';
import { shown } from './locale.js';

/** The theme's colours and font as the charts use them, read from the computed style. */
interface ChartStyle {
  text: string;
  grid: string;
  font: string;
  colors: string[];
}

const css = (name: string): string => getComputedStyle(root()).getPropertyValue(name).trim();

const styleNow = (): ChartStyle => ({
  text: css('--muted'),
  grid: css('--grid'),
  font: getComputedStyle(root()).fontFamily,
  colors: ['--series', '--c2', '--c3', '--c4', '--c5', '--c6'].map(css),
});

const labelsOf = (spec: ChartSpec): string[] =>
  spec.labelFormat && spec.labelValues ? spec.labelValues.map((raw, index) => (raw === null ? spec.labels[index]! : shown(spec.labelFormat!, raw))) : spec.labels;

const dataOf = (spec: ChartSpec, style: ChartStyle): ChartData<'line' | 'bar', (number | null)[], string> => ({
  labels: labelsOf(spec),
  datasets: spec.series.map((series, index) => {
    const color = style.colors[index % style.colors.length];
    return { label: series.label, data: series.data, borderColor: color, backgroundColor: color, pointBackgroundColor: color };
  }),
});

function optionsOf(spec: ChartSpec, style: ChartStyle): ChartOptions<'line' | 'bar'> {
  const font = { family: style.font };
  const axis = { ticks: { color: style.text, font }, grid: { color: style.grid }, border: { color: style.grid } };
  // The value axis in the series' format when they share one; else plain numbers in the locale.
  const key = spec.series.every((series) => series.format === spec.series[0]!.format) ? spec.series[0]!.format : 'number';
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'nearest', intersect: false, axis: 'xy' },
    onClick: (_event, active, chart) => {
      if (active[0]) pointClick(chart, active[0].index, active[0].datasetIndex);
    },
    scales: {
      x: axis,
      y: { ...axis, beginAtZero: spec.beginAtZero !== false, ticks: { ...axis.ticks, callback: (value) => shown(key, value) } },
    },
    plugins: {
      legend: { display: spec.series.length > 1, labels: { color: style.text, font } },
      tooltip: {
        titleFont: font,
        bodyFont: font,
        callbacks: { label: (item) => `${spec.series[item.datasetIndex]!.label}: ${shown(spec.series[item.datasetIndex]!.format, item.raw as number | null)}` },
      },
    },
  };
}

/**
 * Draws each chart of `list`. A chart of `charts` (by canvas id) still on its canvas gets the new
 * data instead, which is quicker than a new chart; those of `charts` not drawn again are let go.
 *
 * @example
 * draw(readJson<ChartSpec[]>(CHARTS_ID));
 * draw(answer.charts, keptCharts); // after an in-place swap
 */
export function draw(list: readonly ChartSpec[] | null | undefined, charts = new Map<string, DrawnChart>()): void {
  const Chart = chartLibrary();
  const style = styleNow();
  for (const spec of list ?? []) {
    const canvas = byId(spec.canvas);
    if (!(canvas instanceof HTMLCanvasElement) || !Chart) continue;
    specs.set(spec.canvas, spec);
    const chart = charts.get(spec.canvas);
    charts.delete(spec.canvas);
    if (chart?.canvas === canvas && (chart.config as ChartConfiguration).type === spec.type) {
      chart.data = dataOf(spec, style);
      chart.options = optionsOf(spec, style);
      chart.update('none');
      continue;
    }
    chart?.destroy();
    new Chart(canvas, { type: spec.type, data: dataOf(spec, style), options: optionsOf(spec, style) });
  }
  for (const chart of charts.values()) chart.destroy();
}

/**
 * Every chart on show again in the current look and locale (after a theme, accent, font or
 * locale change).
 *
 * @example
 * applyLook({ theme: 'dark' }); restyle();
 */
export function restyle(): void {
  for (const [id, spec] of specs) {
    const canvas = byId(id);
    const chart = canvas instanceof HTMLCanvasElement ? chartOn(canvas) : undefined;
    if (!canvas) specs.delete(id);
    else if (chart) draw([spec], new Map([[id, chart]]));
  }
}
