/**
 * `line`: the first column gives the labels (a date or month column gives a time axis, with a
 * gap for each missing period), each further column one line.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { BEGIN_AT_ZERO, labelsThenSeries, type DrawnChartType } from './drawn-chart-type.js';

/** The `line` chart's own fields. */
export const LineFields = Type.Object({ beginAtZero: BEGIN_AT_ZERO });

/** The `line` chart type. */
export const line: DrawnChartType<typeof LineFields> = { fields: LineFields, defaults: { beginAtZero: true }, maxRows: 1000, columnProblem: labelsThenSeries };
