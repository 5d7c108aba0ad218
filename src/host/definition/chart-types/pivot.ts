/**
 * `pivot`: a cross table. One column of the query gives the rows, one the columns, one the value
 * in each cell (values of repeated row and column pairs add up); totals per row and column.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { chartSchema, ColumnName, LAYOUT_FIELDS, QUERY_FIELDS } from './chart-fields.js';
import { missingColumn, type ChartKind } from './chart-kind.js';

/** The fields of a pivot chart in a file. */
export const PivotChartSchema = chartSchema('pivot', 'A cross table: a row dimension, a column dimension and a value.', {
  ...QUERY_FIELDS,
  ...LAYOUT_FIELDS,
  rows: ColumnName('The column whose values become the rows.'),
  columns: ColumnName('The column whose values become the columns.'),
  value: ColumnName('The numeric column summed in each cell.'),
  totals: Type.Optional(Type.Boolean({ description: 'A total per row and per column, and the grand total (default true).', errorMessage: 'must be true or false' })),
});

/** The `pivot` chart type. */
export const pivotChart: ChartKind = {
  type: 'pivot',
  schema: PivotChartSchema,
  runsQuery: true,
  defaultMaxRows: () => 1000,
  defaultWidth: 12,
  downloadByDefault: true,
  ownFields: (file) => ({
    pivot: { rows: file.rows as string, columns: file.columns as string, value: file.value as string },
    totals: (file.totals as boolean | undefined) ?? true,
  }),
  columnProblem: (columns, chart) => missingColumn(columns, { rows: chart.pivot?.rows, columns: chart.pivot?.columns, value: chart.pivot?.value }),
};
