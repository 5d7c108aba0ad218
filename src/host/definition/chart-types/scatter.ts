/**
 * `scatter`: one point per row at (first column, second column); a third column, when there is
 * one, sizes the point.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { BEGIN_AT_ZERO, exactColumns, type DrawnChartType } from './drawn-chart-type.js';

/** The `scatter` chart's own fields. */
export const ScatterFields = Type.Object({ beginAtZero: BEGIN_AT_ZERO });

/** The `scatter` chart type. */
export const scatter: DrawnChartType<typeof ScatterFields> = { fields: ScatterFields, defaults: { beginAtZero: false }, maxRows: 1000, columnProblem: exactColumns(['x', 'y', 'size'], 1) };
