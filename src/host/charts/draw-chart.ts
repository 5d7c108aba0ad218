/**
 * Draws one chart of a drawn type (line, area, bar, combo, pie, donut, scatter, funnel,
 * heatmap) as SVG with ECharts, at each of the page's {@link WIDTHS}: the page shows the drawing
 * of the largest width its box holds (a CSS container query, no script), scaled to the box, so
 * the text is never smaller than drawn (12 px) nor larger than about twice that. Each drawing
 * carries its points' positions (`data-points`), which the page's hover, click and keyboard read.
 * @module
 */
import { escapeHtml } from '../page/html.js';
import type { ShownCell, ShownColumn } from '../page/format-columns.js';
import type { ChartDefinition, QueryResult } from '../types.js';
import { axisData } from './chart-data.js';
import { axisOption, funnelOption, heatmapOption, pieOption, scatterOption, shownText, type AxisLabelText, type OptionInput } from './chart-option.js';
import { loadEcharts, type EchartsInstance } from './echarts-peer.js';
import { pageSvg, type RawText } from './svg-markup.js';
import { HEIGHTS, WIDTHS } from './widths.js';
import { widestChartBoxPx } from '../page/layout.js';


/** A drawn chart: the drawings' markup and the format keys its texts use. */
export interface DrawnChart {
  readonly html: string;
  readonly formats: readonly string[];
}

/** What {@link drawChart} draws from. */
export interface DrawInput {
  readonly chart: ChartDefinition;
  readonly result: QueryResult;
  readonly columns: readonly ShownColumn[];
  readonly rows: readonly (readonly ShownCell[])[];
  /** The accessible name of the drawing. */
  readonly name: string;
  /** Prefixes the drawings' ids (unique on the page, like the chart's index). */
  readonly prefix: string;
}

/**
 * Draws `input`'s chart at every width (see the module's description).
 *
 * @example
 * drawChart({ chart, result, columns, rows, prefix: 'c3', name: 'Revenue (line chart; its data is in the data table below)' }).html;
 * // '<div class="chart-svg" role="img" tabindex="0" aria-label="…" data-series="[&quot;revenue&quot;]"><div class="w0" data-points="0 0 0 52 180 …"><svg …'
 */
export function drawChart(input: DrawInput): DrawnChart {
  const { chart, result } = input;
  const texts = new Map<string, RawText>();
  const label = (raw: string, key: string | undefined, text?: string): string => {
    const shown = text ?? shownText(raw, key);
    if (key) texts.set(shown, { raw, key });
    return shown;
  };
  const names = result.columns;
  const option: OptionInput = { chart, columns: names, keys: input.columns.map((column) => column.key ?? 'number').slice(1), label };
  const cellLabels = input.rows.map((row) => ({ text: row[0]!.text, ...(row[0]!.key === undefined ? {} : { raw: row[0]!.raw!, key: row[0]!.key }) }));
  let made: object;
  let rowOf = (index: number): number | null | undefined => index;
  let series: string[];
  switch (chart.type) {
    case 'pie':
    case 'donut':
      made = pieOption(option, result.rows, cellLabels);
      series = [names[1]!];
      break;
    case 'funnel':
      made = funnelOption(option, result.rows, cellLabels);
      series = [names[1]!];
      break;
    case 'scatter':
      made = scatterOption({ ...option, keys: input.columns.map((column) => column.key ?? 'number') }, result.rows);
      series = [names[1]!];
      break;
    case 'heatmap':
      made = heatmapOption(option, result.rows, categories(input.rows, result, 0), categories(input.rows, result, 1));
      series = [names[2]!];
      break;
    default: {
      const data = axisData(result.rows, input.rows);
      made = axisOption(option, data);
      rowOf = (index) => data.rows[index];
      series = names.slice(1);
    }
  }
  const echarts = loadEcharts();
  // A new instance per width: measured quicker than resizing one (resize re-lays out twice).
  // Only the widths a box of this chart can hold in a frame up to 1,600 px (a half-row chart
  // never shows its 900 px drawing), and always the narrowest.
  const widest = widestChartBoxPx(chart);
  const widths = WIDTHS.filter((width, bucket) => bucket === 0 || width <= widest);
  const drawings = widths.map((width, bucket) => {
    const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height: input.chart.height ?? HEIGHTS[bucket]! });
    try {
      instance.setOption(made);
      const svg = instance.renderToSVGString();
      const points = pointsOf(instance, series.length, rowOf);
      const last = bucket === widths.length - 1 ? ' data-widest' : '';
      return `<div class="w${bucket}"${last} data-points="${points}">${pageSvg(svg, `${input.prefix}w${bucket}`, texts)}</div>`;
    } finally {
      instance.dispose();
    }
  });
  const attributes = `role="img" tabindex="0" aria-label="${escapeHtml(input.name)}" data-series="${escapeHtml(JSON.stringify(series))}"`;
  return { html: `<div class="chart-svg" ${attributes}>${drawings.join('')}</div>`, formats: [...new Set([...texts.values()].map((text) => text.key))] };
}

/**
 * Every point's series, data index, row and position in the drawing, as `s d r x y` joined by
 * `;` (positions rounded to a tenth of a px): the points of a line, the centres of bars, cells
 * and funnel stages, the middle of a slice's arc. Missing values have no point.
 */
function pointsOf(instance: EchartsInstance, count: number, rowOf: (index: number) => number | null | undefined): string {
  const points: string[] = [];
  for (let s = 0; s < count; s++) {
    const data = instance.getModel().getSeriesByIndex(s)?.getData();
    if (!data) continue;
    // A line's points are one list for the whole series; other series lay out each item.
    const line = data.getLayout('points') as ArrayLike<number> | undefined;
    for (let d = 0; d < data.count(); d++) {
      // A heatmap cell has no layout of its own: its centre is where its (x, y) lies.
      const at = line ? centre([line[2 * d]!, line[2 * d + 1]!]) : (centre(data.getItemLayout(d)) ?? centre(instance.convertToPixel({ seriesIndex: s }, data.getValues(d).slice(0, 2))));
      const row = rowOf(data.getRawIndex(d)) ?? null;
      if (at && row !== null) points.push(`${s} ${data.getRawIndex(d)} ${row} ${at[0].toFixed(1)} ${at[1].toFixed(1)}`);
    }
  }
  return points.join(';');
}

type Layout = number[] | { x: number; y: number; width: number; height: number } | { cx: number; cy: number; r0: number; r: number; startAngle: number; endAngle: number } | { points: number[][] };

function centre(layout: unknown): [number, number] | undefined {
  const item = layout as Layout | undefined | null;
  if (!item) return undefined;
  let at: [number, number] | undefined;
  if (Array.isArray(item)) at = [item[0]!, item[1]!];
  else if ('width' in item) at = [item.x + item.width / 2, item.y + item.height / 2];
  else if ('cx' in item) {
    const angle = (item.startAngle + item.endAngle) / 2;
    const radius = (item.r0 + item.r) / 2;
    at = [item.cx + radius * Math.cos(angle), item.cy + radius * Math.sin(angle)];
  } else if ('points' in item) {
    at = [item.points.reduce((sum, point) => sum + point[0]!, 0) / item.points.length, item.points.reduce((sum, point) => sum + point[1]!, 0) / item.points.length];
  }
  return at && Number.isFinite(at[0]) && Number.isFinite(at[1]) ? at : undefined;
}

/** A heatmap axis's categories: the distinct values of column `column`, in order of first appearance. */
function categories(rows: readonly (readonly ShownCell[])[], result: QueryResult, column: number): AxisLabelText[] {
  const seen = new Map<string, AxisLabelText>();
  result.rows.forEach((row, index) => {
    const value = String(row[column] ?? null);
    const cell = rows[index]![column]!;
    if (!seen.has(value)) seen.set(value, { value, text: cell.text, ...(cell.key === undefined ? {} : { raw: cell.raw!, key: cell.key }) });
  });
  return [...seen.values()];
}
