/**
 * `heatmap`: one cell per row at (first column, second column), its colour from the third.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { exactColumns, type DrawnChartType } from './drawn-chart-type.js';

/** The `heatmap` chart's own fields: none. */
export const HeatmapFields = Type.Object({});

/** The `heatmap` chart type. */
export const heatmap: DrawnChartType<typeof HeatmapFields> = { fields: HeatmapFields, defaults: {}, maxRows: 2000, columnProblem: exactColumns(['x', 'y', 'value']) };
