/**
 * What a chart type's module provides: its schema (the file's fields), its defaults, how its own
 * fields become the definition's, and its column rules. The registry (index.ts) lists them.
 * @module
 */
import type { ChartDefinition, ChartType } from '../../types.js';
import type { ChartSchema } from './chart-fields.js';

/** A chart type, described once: see number.ts for an example. */
export interface ChartKind {
  readonly type: ChartType;
  /** The chart's fields in a dashboard file (common ones included), as a TypeBox schema. */
  readonly schema: ChartSchema;
  /** False for a chart that runs no query (`text`). */
  readonly runsQuery: boolean;
  /** `maxRows` when the file does not say, given the chart's fields as written. */
  readonly defaultMaxRows: (file: Readonly<Record<string, unknown>>) => number;
  /** `width` when the file does not say, in twelfths of the row. */
  readonly defaultWidth: number;
  /** Whether the chart shows "Download CSV" when its file says nothing of `download`. */
  readonly downloadByDefault: boolean;
  /** The type's own fields as the definition holds them (defaults applied), from the checked file. */
  readonly ownFields: (file: Readonly<Record<string, unknown>>) => Partial<ChartDefinition>;
  /**
   * Why a result with these columns cannot be drawn as this chart (`undefined` when it can): the
   * column rules, a plain function so the page and a check without data share them.
   */
  readonly columnProblem: (columns: readonly string[], chart: ChartDefinition) => string | undefined;
}

/**
 * `undefined`, or a sentence naming the first of `wanted` (field → column) that `columns` lacks.
 *
 * @example
 * missingColumn(['month', 'n'], { comparison: 'previous' }); // 'its comparison column "previous" is not among the query's columns (month, n)'
 */
export function missingColumn(columns: readonly string[], wanted: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const [field, column] of Object.entries(wanted)) {
    if (column !== undefined && !columns.includes(column)) return `its ${field} column "${column}" is not among the query's columns (${columns.join(', ')})`;
  }
  return undefined;
}
