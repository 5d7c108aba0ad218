/**
 * `table`: every column and row (up to `maxRows`); a click or Enter on a header sorts it in the
 * page; an optional totals row sums the numeric columns.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { chartSchema, LAYOUT_FIELDS, QUERY_FIELDS } from './chart-fields.js';
import type { ChartKind } from './chart-kind.js';

/** The fields of a table chart in a file. */
export const TableChartSchema = chartSchema('table', 'Every column and row; headers sort it.', {
  ...QUERY_FIELDS,
  ...LAYOUT_FIELDS,
  totals: Type.Optional(Type.Boolean({ description: 'Adds a row with the sum of each numeric column (default false).', errorMessage: 'must be true or false' })),
});

/** The `table` chart type. */
export const tableChart: ChartKind = {
  type: 'table',
  schema: TableChartSchema,
  runsQuery: true,
  defaultMaxRows: () => 100,
  defaultWidth: 12,
  downloadByDefault: true,
  ownFields: (file) => (file.totals === true ? { totals: true } : {}),
  columnProblem: () => undefined,
};
