/**
 * The column rule of the charts that draw series (line, bar): the labels first, then one column
 * per series.
 * @module
 */

/** Shown on a line or bar chart whose query returns fewer than two columns. */
export const TWO_COLUMNS_MESSAGE = 'This chart needs two columns or more: the labels first, then one column per series.';

/**
 * `undefined` when `columns` can be drawn as series, else why not.
 *
 * @example
 * seriesColumnProblem(['month']); // TWO_COLUMNS_MESSAGE
 */
export function seriesColumnProblem(columns: readonly string[]): string | undefined {
  return columns.length < 2 ? TWO_COLUMNS_MESSAGE : undefined;
}
