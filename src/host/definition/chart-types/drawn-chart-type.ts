/**
 * What every chart type drawn with ECharts declares about itself: the fields a dashboard file may
 * give it (a TypeBox `Type.Object`, checked with the common fields by the dashboard schema, drawn-kinds.ts), and its column rule,
 * which the page applies to the query's columns before drawing (a sentence naming the column when
 * they do not fit). One module per type beside this one; `drawn-chart-types.ts` lists them.
 * @module
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';

/** A chart type drawn with ECharts: its own fields, their defaults and its column rule. */
export interface DrawnChartType<Fields extends TObject = TObject> {
  /** The type's own fields (besides title, type, sql, maxRows, formats, download). */
  readonly fields: Fields;
  /** What an absent field means. */
  readonly defaults: Partial<Static<Fields>>;
  /** Rows read at most unless `maxRows` says otherwise. */
  readonly maxRows: number;
  /**
   * Why these query columns cannot be drawn (a sentence for the viewer, naming the column), or
   * `undefined` when they can. `fields` are the chart's own, as validated.
   */
  columnProblem(columns: readonly string[], fields: Partial<Static<Fields>>): string | undefined;
}

/** `beginAtZero`: whether the value axis starts at zero (every chart with a value axis). */
export const BEGIN_AT_ZERO = Type.Optional(Type.Boolean({ description: 'Whether the value axis starts at zero (default true).', errorMessage: 'must be true or false' }));

/** Why a chart of labels and series cannot be drawn from one column. */
export const TWO_COLUMNS_MESSAGE = 'This chart needs two columns or more: the labels first, then one column per series.';

/**
 * The rule of charts whose first column gives the labels and every further column is a series.
 *
 * @example
 * labelsThenSeries(['month']); // 'This chart needs two columns or more: …'
 */
export function labelsThenSeries(columns: readonly string[]): string | undefined {
  return columns.length < 2 ? TWO_COLUMNS_MESSAGE : undefined;
}

/**
 * A rule for an exact number of columns, naming each role in order.
 *
 * @example
 * exactColumns(['label', 'value'])(['a']); // 'This chart needs 2 columns (label, value); its query returns 1.'
 */
export function exactColumns(roles: readonly string[], optional = 0): (columns: readonly string[]) => string | undefined {
  const least = roles.length - optional;
  return (columns) =>
    columns.length < least || columns.length > roles.length
      ? `This chart needs ${optional ? `${least} or ${roles.length}` : roles.length} columns (${roles.join(', ')}${optional ? ', the last optional' : ''}); its query returns ${columns.length}.`
      : undefined;
}
