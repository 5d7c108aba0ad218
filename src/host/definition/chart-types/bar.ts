/**
 * `bar`: the first column gives the labels, each further column one series of bars, vertical or
 * horizontal, side by side or stacked.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { BEGIN_AT_ZERO, labelsThenSeries, type DrawnChartType } from './drawn-chart-type.js';

/** The `bar` chart's own fields. */
export const BarFields = Type.Object({
  beginAtZero: BEGIN_AT_ZERO,
  orientation: Type.Optional(Type.Union([Type.Literal('vertical'), Type.Literal('horizontal')], { description: '"vertical" or "horizontal" (default "vertical")', errorMessage: 'must be "vertical" or "horizontal"' })),
  stacked: Type.Optional(Type.Boolean({ description: 'true stacks the series (default false: side by side)', errorMessage: 'must be true or false' })),
});

/** The `bar` chart type. */
export const bar: DrawnChartType<typeof BarFields> = {
  fields: BarFields,
  defaults: { beginAtZero: true, orientation: 'vertical', stacked: false },
  maxRows: 1000,
  columnProblem: labelsThenSeries,
};
