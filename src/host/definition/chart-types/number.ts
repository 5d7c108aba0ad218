/**
 * `number`: one value, the first column of the first row, with an optional change against a
 * comparison column (▲/▼ and its percentage) and an optional sparkline. No "Download CSV" by
 * default (a one-value file is of no use; `download` turns it on).
 * @module
 */
import { Type } from '@sinclair/typebox';
import { chartSchema, ColumnName, LAYOUT_FIELDS, QUERY_FIELDS } from './chart-fields.js';
import { missingColumn, type ChartKind } from './chart-kind.js';

/** Rows a number chart with a sparkline reads unless `maxRows` says otherwise. */
export const SPARKLINE_ROWS = 60;

/** The fields of a number chart in a file. */
export const NumberChartSchema = chartSchema('number', 'One value: the first column of the first row.', {
  ...QUERY_FIELDS,
  ...LAYOUT_FIELDS,
  comparison: Type.Optional(ColumnName('A column of the first row holding the value to compare with (a previous period): shown as ▲/▼ and the change in percent.')),
  sparkline: Type.Optional(ColumnName('A column drawn as a small line under the value, over the rows, newest first (the first row is the value shown).')),
});

/** The `number` chart type. */
export const numberChart: ChartKind = {
  type: 'number',
  schema: NumberChartSchema,
  runsQuery: true,
  defaultMaxRows: (file) => (file.sparkline === undefined ? 1 : SPARKLINE_ROWS),
  defaultWidth: 3,
  downloadByDefault: false,
  ownFields: (file) => ({
    ...(file.comparison === undefined ? {} : { comparison: file.comparison as string }),
    ...(file.sparkline === undefined ? {} : { sparkline: file.sparkline as string }),
  }),
  columnProblem: (columns, chart) => missingColumn(columns, { comparison: chart.comparison, sparkline: chart.sparkline }),
};
