/**
 * Chart.js as the page finds it: the host serves its UMD build (src/host/page/chart-library.ts)
 * as a deferred classic script, which sets `window.Chart` before the page module runs. Only
 * its types are imported here; a dashboard with no line or bar chart loads no library at all.
 * @module
 */
import type { Chart } from 'chart.js';

/** Chart.js's constructor, with its statics (`getChart`). */
export type ChartLibrary = typeof Chart;
/** One chart drawn by Chart.js. */
export type DrawnChart = Chart;

/**
 * The chart library the page loaded, or `undefined` when it has none.
 *
 * @example
 * chartLibrary()?.getChart(canvas)?.destroy();
 */
export const chartLibrary = (): ChartLibrary | undefined => (window as { Chart?: ChartLibrary }).Chart;

/**
 * The chart drawn on this canvas, if any.
 *
 * @example
 * chartOn(canvas)?.update('none');
 */
export const chartOn = (canvas: HTMLCanvasElement): DrawnChart | undefined => chartLibrary()?.getChart(canvas);
