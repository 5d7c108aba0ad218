/**
 * `line`: the first column gives the labels, each further column one series.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { chartSchema, LAYOUT_FIELDS, QUERY_FIELDS } from './chart-fields.js';
import type { ChartKind } from './chart-kind.js';
import { seriesColumnProblem } from './series-columns.js';

/** The fields of a line chart in a file. */
export const LineChartSchema = chartSchema('line', 'Line chart: the first column gives the labels, each further column one series.', {
  ...QUERY_FIELDS,
  ...LAYOUT_FIELDS,
  beginAtZero: Type.Optional(Type.Boolean({ description: 'Whether the value axis starts at zero (default true).', errorMessage: 'must be true or false' })),
});

/** The `line` chart type. */
export const lineChart: ChartKind = {
  type: 'line',
  schema: LineChartSchema,
  runsQuery: true,
  defaultMaxRows: () => 1000,
  defaultWidth: 12,
  downloadByDefault: true,
  ownFields: (file) => ({ beginAtZero: (file.beginAtZero as boolean | undefined) ?? true }),
  columnProblem: (columns) => seriesColumnProblem(columns),
};
