/**
 * The ECharts option of each drawn chart type, from its data. Every colour is a CSS custom
 * property of the page's theme (`var(--series)`, `var(--muted)`, …), which ECharts writes into
 * the SVG as is, so one drawn SVG follows the page's theme and accent with no new drawing; text
 * takes the page's font (`inherit`). Labels and ticks go through `label`, which records the
 * formatted text so the SVG's text can be re-formatted for a viewer's locale.
 * @module
 */
import { DEFAULT_LOCALE, formatKeyed } from '../page/format-value.js';
import type { ChartDefinition, CellValue } from '../types.js';
import type { AxisData } from './chart-data.js';
import { toNumber } from './chart-data.js';

/** The series colours, in order: the accent first. */
export const PALETTE = ['var(--series)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)', 'var(--c6)'];
/** Chart text, in px of the drawing (the page never shows a drawing smaller than its own size). */
export const FONT_SIZE = 12;
const TEXT = { color: 'var(--muted)', fontFamily: 'inherit', fontSize: FONT_SIZE };
const GRID_LINE = { lineStyle: { color: 'var(--grid)' } };

/** Records a shown text's raw value and format key (for the page's locale), and returns the text. */
export type LabelRecorder = (raw: string, key: string | undefined, text?: string) => string;

/** What an option is made from. */
export interface OptionInput {
  readonly chart: ChartDefinition;
  readonly columns: readonly string[];
  /** The series columns' format keys (axis charts; the value column's for the others). */
  readonly keys: readonly string[];
  readonly label: LabelRecorder;
}

/**
 * The option of an axis chart: `line`, `area`, `bar` or `combo`.
 *
 * @example
 * axisOption({ chart, columns: ['month', 'revenue'], keys: ['currency:USD'], label }, axisData(rows, cells));
 */
export function axisOption({ chart, columns, keys, label }: OptionInput, data: AxisData): object {
  const names = columns.slice(1);
  const horizontal = chart.type === 'bar' && chart.orientation === 'horizontal';
  const second = new Set(chart.type === 'combo' ? (chart.secondAxis ?? []) : []);
  const lines = new Set(chart.type === 'combo' ? (chart.lines ?? []) : []);
  const stacked = chart.stacked === true;
  const valueKey = (axis: number) => {
    const own = names.map((name, index) => ((second.has(name) ? 1 : 0) === axis ? keys[index]! : undefined)).filter((key) => key !== undefined);
    return own.every((key) => key === own[0]) && own[0] ? own[0] : 'number';
  };
  const categoryAxis = {
    type: 'category',
    data: data.labels.map((item) => item.text),
    boundaryGap: chart.type !== 'line' && chart.type !== 'area',
    axisLabel: { ...TEXT, hideOverlap: true, formatter: (text: string, index: number) => label(data.labels[index]?.raw ?? text, data.labels[index]?.key, text) },
    axisLine: GRID_LINE,
    axisTick: { show: false },
  };
  const valueAxis = (axis: number) => ({
    type: 'value',
    scale: chart.beginAtZero === false,
    axisLabel: { ...TEXT, hideOverlap: true, formatter: (value: number) => label(String(value), valueKey(axis)) },
    splitLine: { show: axis === 0, ...GRID_LINE },
    axisLine: { show: false },
  });
  const valueAxes = second.size > 0 ? [valueAxis(0), valueAxis(1)] : valueAxis(0);
  return {
    ...common(names.length > 1),
    xAxis: horizontal ? valueAxes : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxes,
    series: names.map((name, index) => {
      const color = PALETTE[index % PALETTE.length];
      const asLine = chart.type === 'line' || chart.type === 'area' || lines.has(name);
      return {
        type: asLine ? 'line' : 'bar',
        name,
        data: data.values[index],
        color,
        itemStyle: { color },
        ...(second.has(name) ? { yAxisIndex: 1 } : {}),
        ...(stacked ? { stack: 'all' } : {}),
        ...(asLine ? { showSymbol: true, symbol: 'circle', symbolSize: 6, lineStyle: { color, width: 2 } } : { barMaxWidth: 48 }),
        ...(chart.type === 'area' ? { areaStyle: { color, opacity: 0.25 } } : {}),
      };
    }),
  };
}

/**
 * The option of a `pie` or `donut` chart: one slice per row (label, value).
 *
 * @example
 * pieOption(input, [['Basic', 12], ['Pro', 30]]);
 */
export function pieOption({ chart, label }: OptionInput, rows: readonly (readonly CellValue[])[], labels: readonly { text: string; raw?: string; key?: string }[]): object {
  return {
    ...common(false),
    series: [
      {
        type: 'pie',
        radius: chart.type === 'donut' ? ['45%', '70%'] : [0, '70%'],
        avoidLabelOverlap: true,
        labelLayout: { hideOverlap: true },
        label: { ...TEXT, formatter: ({ dataIndex }: { dataIndex: number }) => label(labels[dataIndex]!.raw ?? labels[dataIndex]!.text, labels[dataIndex]!.key, labels[dataIndex]!.text) },
        labelLine: GRID_LINE,
        itemStyle: { borderColor: 'var(--bg)', borderWidth: 1 },
        data: rows.map((row, index) => ({ name: labels[index]!.text, value: toNumber(row[1] ?? null), itemStyle: { color: PALETTE[index % PALETTE.length] } })),
      },
    ],
  };
}

/**
 * The option of a `funnel` chart: one stage per row, in the query's order.
 *
 * @example
 * funnelOption(input, [['Visits', 1000], ['Orders', 80]], labels);
 */
export function funnelOption({ label }: OptionInput, rows: readonly (readonly CellValue[])[], labels: readonly { text: string; raw?: string; key?: string }[]): object {
  return {
    ...common(false),
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '2%',
        width: '58%',
        top: 8,
        bottom: 8,
        gap: 2,
        label: { ...TEXT, position: 'right', formatter: ({ dataIndex }: { dataIndex: number }) => label(labels[dataIndex]!.raw ?? labels[dataIndex]!.text, labels[dataIndex]!.key, labels[dataIndex]!.text) },
        labelLine: GRID_LINE,
        labelLayout: { hideOverlap: true },
        itemStyle: { borderColor: 'var(--bg)', borderWidth: 1 },
        data: rows.map((row, index) => ({ name: labels[index]!.text, value: toNumber(row[1] ?? null), itemStyle: { color: PALETTE[index % PALETTE.length] } })),
      },
    ],
  };
}

/**
 * The option of a `scatter` chart: a point per row at (x, y), sized by the third column if any.
 *
 * @example
 * scatterOption(input, [[1, 2, 10], [3, 4, 20]]);
 */
export function scatterOption({ chart, columns, keys, label }: OptionInput, rows: readonly (readonly CellValue[])[]): object {
  const sizes = rows.map((row) => Math.abs(toNumber(row[2] ?? null) ?? 0));
  const largest = Math.max(...sizes, 0) || 1;
  const axis = (key: string, name: string) => ({
    type: 'value',
    scale: chart.beginAtZero !== true,
    name,
    nameTextStyle: TEXT,
    axisLabel: { ...TEXT, hideOverlap: true, formatter: (value: number) => label(String(value), key) },
    splitLine: GRID_LINE,
    axisLine: GRID_LINE,
  });
  return {
    ...common(false),
    xAxis: { ...axis(keys[0] ?? 'number', columns[0]!), nameLocation: 'middle', nameGap: 24 },
    yAxis: { ...axis(keys[1] ?? 'number', columns[1]!), nameLocation: 'end' },
    series: [
      {
        type: 'scatter',
        name: columns[1],
        color: PALETTE[0],
        itemStyle: { color: PALETTE[0], opacity: 0.8 },
        symbolSize: columns.length > 2 ? (_: unknown, { dataIndex }: { dataIndex: number }) => 6 + 24 * Math.sqrt(sizes[dataIndex]! / largest) : 8,
        data: rows.map((row) => [toNumber(row[0] ?? null), toNumber(row[1] ?? null)]),
      },
    ],
  };
}

/**
 * The option of a `heatmap` chart: a cell per row at (x, y), as opaque as its value is high (an
 * opacity rather than a colour scale, because the colour is a CSS custom property ECharts
 * cannot interpolate). A cell of no value is not drawn.
 *
 * @example
 * heatmapOption(input, rows, xLabels, yLabels);
 */
export function heatmapOption({ label }: OptionInput, rows: readonly (readonly CellValue[])[], xs: readonly AxisLabelText[], ys: readonly AxisLabelText[]): object {
  const values = rows.map((row) => toNumber(row[2] ?? null));
  const known = values.filter((value): value is number => value !== null);
  const low = Math.min(...known);
  const span = Math.max(...known) - low || 1;
  const index = (list: readonly AxisLabelText[], value: CellValue) => list.findIndex((item) => item.value === String(value));
  const axis = (list: readonly AxisLabelText[]) => ({
    type: 'category',
    data: list.map((item) => item.text),
    axisLabel: { ...TEXT, hideOverlap: true, formatter: (text: string, at: number) => label(list[at]?.raw ?? text, list[at]?.key, text) },
    axisLine: GRID_LINE,
    axisTick: { show: false },
    splitArea: { show: false },
  });
  return {
    ...common(false),
    xAxis: axis(xs),
    yAxis: { ...axis(ys), inverse: true },
    // ECharts draws a heatmap only with a visual map: here it maps the value to an opacity alone.
    visualMap: { show: false, dimension: 2, min: low, max: low + span, inRange: { opacity: [0.12, 1] } },
    series: [
      {
        type: 'heatmap',
        itemStyle: { color: PALETTE[0], borderColor: 'var(--bg)', borderWidth: 1 },
        data: rows.map((row, at) => [index(xs, row[0] ?? null), index(ys, row[1] ?? null), values[at]]),
      },
    ],
  };
}

/** A category of a heatmap axis: the value as the query gave it (text), as shown, and raw/key when formatted. */
export interface AxisLabelText {
  readonly value: string;
  readonly text: string;
  readonly raw?: string;
  readonly key?: string;
}

/**
 * The text of a raw value as the server shows it (en-US), by its format key.
 *
 * @example
 * shownText('1234.5', 'currency:USD'); // '$1,234.50'
 */
export function shownText(raw: string, key: string | undefined): string {
  return key ? formatKeyed(key, raw, DEFAULT_LOCALE) : raw;
}

/** What every option shares: no animation, no ARIA of ECharts' own (the page names the chart), the legend when there are series to tell apart. */
function common(legend: boolean): object {
  return {
    animation: false,
    aria: { enabled: false },
    textStyle: TEXT,
    color: PALETTE,
    legend: { show: legend, top: 0, textStyle: TEXT, itemWidth: 14, itemHeight: 10, inactiveColor: 'var(--faint)' },
    grid: { left: 8, right: 16, top: legend ? 36 : 12, bottom: 8, containLabel: true },
  };
}
