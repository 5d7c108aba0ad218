/**
 * `bar`: the first column gives the labels, each further column one series.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { chartSchema, LAYOUT_FIELDS, QUERY_FIELDS } from './chart-fields.js';
import type { ChartKind } from './chart-kind.js';
import { seriesColumnProblem } from './series-columns.js';

/** The fields of a bar chart in a file. */
export const BarChartSchema = chartSchema('bar', 'Bar chart: the first column gives the labels, each further column one series.', {
  ...QUERY_FIELDS,
  ...LAYOUT_FIELDS,
  beginAtZero: Type.Optional(Type.Boolean({ description: 'Whether the value axis starts at zero (default true).', errorMessage: 'must be true or false' })),
});

/** The `bar` chart type. */
export const barChart: ChartKind = {
  type: 'bar',
  schema: BarChartSchema,
  runsQuery: true,
  defaultMaxRows: () => 1000,
  defaultWidth: 12,
  downloadByDefault: true,
  ownFields: (file) => ({ beginAtZero: (file.beginAtZero as boolean | undefined) ?? true }),
  columnProblem: (columns) => seriesColumnProblem(columns),
};
