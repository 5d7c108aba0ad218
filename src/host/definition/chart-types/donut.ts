/**
 * `donut`: a pie with a hole; the same columns (label, value).
 * @module
 */
import { pie } from './pie.js';
import type { DrawnChartType } from './drawn-chart-type.js';

/** The `donut` chart type. */
export const donut: DrawnChartType = { ...pie };
