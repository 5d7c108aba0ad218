/**
 * `combo`: bars and lines on one label axis. The columns named in `lines` are drawn as lines,
 * the others as bars; those named in `secondAxis` are read on a second value axis, on the right.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { BEGIN_AT_ZERO, labelsThenSeries, type DrawnChartType } from './drawn-chart-type.js';

const COLUMN_NAMES = (description: string) => Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description, errorMessage: 'must be a non-empty list of column names (the series columns)' }));

/** The `combo` chart's own fields. */
export const ComboFields = Type.Object({
  beginAtZero: BEGIN_AT_ZERO,
  lines: COLUMN_NAMES('the series columns drawn as lines, like ["margin"]'),
  secondAxis: COLUMN_NAMES('the series columns read on the right-hand value axis, like ["margin"]'),
});

/** The `combo` chart type. */
export const combo: DrawnChartType<typeof ComboFields> = {
  fields: ComboFields,
  defaults: { beginAtZero: true },
  maxRows: 1000,
  columnProblem(columns, fields) {
    const problem = labelsThenSeries(columns);
    if (problem) return problem;
    for (const key of ['lines', 'secondAxis'] as const) {
      const missing = (fields[key] ?? []).find((name) => !columns.slice(1).includes(name));
      if (missing !== undefined) return `This chart cannot be shown: its "${key}" names the column "${missing}", which is not one of its query's series (${columns.slice(1).map((name) => `"${name}"`).join(', ')}).`;
    }
    return undefined;
  },
};
