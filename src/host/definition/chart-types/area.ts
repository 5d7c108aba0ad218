/**
 * `area`: a line chart whose lines are filled down to the axis; `stacked` piles the series up.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { BEGIN_AT_ZERO, labelsThenSeries, type DrawnChartType } from './drawn-chart-type.js';

/** The `area` chart's own fields. */
export const AreaFields = Type.Object({
  beginAtZero: BEGIN_AT_ZERO,
  stacked: Type.Optional(Type.Boolean({ description: 'true piles the series up (default false)', errorMessage: 'must be true or false' })),
});

/** The `area` chart type. */
export const area: DrawnChartType<typeof AreaFields> = { fields: AreaFields, defaults: { beginAtZero: true, stacked: false }, maxRows: 1000, columnProblem: labelsThenSeries };
