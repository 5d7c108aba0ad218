/**
 * A chart's result columns against what its type draws and what its formats name, as
 * `chartio-embed check` asks before any viewer does: the rule of each chart type's module
 * (chart-types/, by column names: the one the page applies), and where the column types tell more
 * than names (a series must hold numbers) {@link CHART_COLUMN_RULES}, and the formats' rule in {@link formatColumnProblems}. The columns come from
 * the database's description of the prepared query (`DataSource.describe`), never from its rows.
 * @module
 */
import { chartKind } from './chart-types/index.js';
import type { ChartDefinition, ChartType, ColumnFormat, ResultColumn } from '../types.js';

/** What one chart type needs of its columns: the problems, each naming the column, or none. */
export type ColumnRule = (columns: readonly ResultColumn[]) => string[];

const quote = (name: string) => JSON.stringify(name);

/** A label column, then one or more series, each holding numbers (a line or bar chart). */
const labelAndSeries: ColumnRule = (columns) => {
  if (columns.length < 2) {
    return [`returns ${columns.length} column${columns.length === 1 ? '' : 's'} (${columns.map((column) => quote(column.name)).join(', ')}); this chart needs a label column, then one numeric column per series`];
  }
  return columns
    .slice(1)
    .filter((column) => column.kind !== 'number' && column.kind !== 'other')
    .map((column) => `column ${quote(column.name)} is a series, so it must hold numbers, but the query returns ${column.kind === 'date' ? 'a date' : column.kind === 'boolean' ? 'true/false' : 'text'}; cast it, or move it first as the label`);
};

/**
 * Each chart type's rule, by type.
 *
 * @example
 * CHART_COLUMN_RULES.bar([{ name: 'total', kind: 'number' }]); // ['returns 1 column ("total"); this chart needs a label column, …']
 */
export const CHART_COLUMN_RULES: Readonly<Partial<Record<ChartType, ColumnRule>>> = {
  number: (columns) => (columns.length === 0 ? ['returns no column; a number chart shows the first column of the first row'] : []),
  line: labelAndSeries,
  area: labelAndSeries,
  bar: labelAndSeries,
  combo: labelAndSeries,
  table: (columns) => (columns.length === 0 ? ['returns no column; a table shows every column'] : []),
};

/**
 * The problems of `columns` for `chart` (or a chart of a type, by the typed rules alone): the typed
 * rule's first, else the type module's rule by names (a pie's two columns, a pivot's named ones).
 *
 * @example
 * chartColumnProblems('line', [{ name: 'month', kind: 'text' }, { name: 'status', kind: 'text' }]);
 * // ['column "status" is a series, so it must hold numbers, but the query returns text; …']
 */
export function chartColumnProblems(chart: ChartDefinition | ChartType, columns: readonly ResultColumn[]): string[] {
  const type = typeof chart === 'string' ? chart : chart.type;
  const typed = CHART_COLUMN_RULES[type]?.(columns) ?? [];
  if (typed.length > 0 || typeof chart === 'string') return typed;
  const named = chartKind(type).columnProblem(columns.map((column) => column.name), chart);
  return named ? [named] : [];
}

/**
 * The problems of a chart's `formats` against its columns: a format naming a column the query
 * does not return (a typo on either side), or a number format on text, a date format on a number.
 *
 * @example
 * formatColumnProblems({ amout: { type: 'currency', currency: 'USD' } }, [{ name: 'amount', kind: 'number' }]);
 * // ['formats.amout names a column the query does not return (it returns "amount")']
 */
export function formatColumnProblems(formats: Readonly<Record<string, ColumnFormat>> | undefined, columns: readonly ResultColumn[]): string[] {
  const problems: string[] = [];
  for (const [name, format] of Object.entries(formats ?? {})) {
    const column = columns.find((item) => item.name === name);
    if (!column) {
      problems.push(`formats.${name} names a column the query does not return (it returns ${columns.map((item) => quote(item.name)).join(', ') || 'no column'})`);
      continue;
    }
    const numeric = format.type === 'number' || format.type === 'currency' || format.type === 'percent';
    if (numeric && (column.kind === 'text' || column.kind === 'date' || column.kind === 'boolean')) problems.push(`formats.${name} is a ${format.type} format, but column ${quote(name)} holds ${column.kind === 'text' ? 'text' : column.kind === 'date' ? 'dates' : 'true/false'}`);
    if (format.type === 'date' && (column.kind === 'number' || column.kind === 'boolean')) problems.push(`formats.${name} is a date format, but column ${quote(name)} holds ${column.kind === 'number' ? 'numbers' : 'true/false'}`);
  }
  return problems;
}
