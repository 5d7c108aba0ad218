/**
 * The chart types drawn with ECharts on the host, by name (the others, `number` and `table`,
 * are plain HTML).
 * @module
 */
import { area } from './area.js';
import { bar } from './bar.js';
import { combo } from './combo.js';
import { donut } from './donut.js';
import type { DrawnChartType } from './drawn-chart-type.js';
import { funnel } from './funnel.js';
import { heatmap } from './heatmap.js';
import { line } from './line.js';
import { pie } from './pie.js';
import { scatter } from './scatter.js';

/** The names of the chart types drawn with ECharts. */
export const DRAWN_CHART_TYPES = ['line', 'area', 'bar', 'combo', 'pie', 'donut', 'scatter', 'funnel', 'heatmap'] as const;
/** One of {@link DRAWN_CHART_TYPES}. */
export type DrawnChartTypeName = (typeof DRAWN_CHART_TYPES)[number];

/**
 * Each drawn type's module.
 *
 * @example
 * DRAWN_CHART_TYPE.bar.defaults.orientation; // 'vertical'
 */
export const DRAWN_CHART_TYPE: Readonly<Record<DrawnChartTypeName, DrawnChartType>> = { line, area, bar, combo, pie, donut, scatter, funnel, heatmap } as Record<DrawnChartTypeName, DrawnChartType>;

/**
 * Tells whether a chart type is drawn with ECharts.
 *
 * @example
 * isDrawnChartType('pie'); // true
 * isDrawnChartType('table'); // false
 */
export function isDrawnChartType(type: string): type is DrawnChartTypeName {
  return (DRAWN_CHART_TYPES as readonly string[]).includes(type);
}
