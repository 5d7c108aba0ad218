/**
 * `pie` and `donut`: one slice per row, the first column its label and the second its value.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { exactColumns, type DrawnChartType } from './drawn-chart-type.js';

/** The `pie` and `donut` charts' own fields: none. */
export const PieFields = Type.Object({});

/** The `pie` chart type. */
export const pie: DrawnChartType<typeof PieFields> = { fields: PieFields, defaults: {}, maxRows: 100, columnProblem: exactColumns(['label', 'value']) };
