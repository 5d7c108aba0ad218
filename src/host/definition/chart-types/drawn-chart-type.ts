/**
 * What every chart type drawn with ECharts declares about itself: the fields a dashboard file may
 * give it (a TypeBox `Type.Object`, checked by {@link readDrawnChartFields}), and its column rule,
 * which the page applies to the query's columns before drawing (a sentence naming the column when
 * they do not fit). One module per type beside this one; `drawn-chart-types.ts` lists them.
 * @module
 */
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

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
export const BEGIN_AT_ZERO = Type.Optional(Type.Boolean({ description: 'Whether the value axis starts at zero (default true).' }));

/**
 * The rule of charts whose first column gives the labels and every further column is a series.
 *
 * @example
 * labelsThenSeries(['month']); // 'This chart needs two columns or more: …'
 */
export function labelsThenSeries(columns: readonly string[]): string | undefined {
  return columns.length < 2 ? 'This chart needs two columns or more: the labels first, then one column per series.' : undefined;
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

/**
 * Checks a chart's own fields against its type's schema and returns them with the defaults
 * applied; `fail` gets the first field at fault (`charts[2].orientation`) and what it must be.
 *
 * @example
 * readDrawnChartFields(bar, { orientation: 'sideways' }, 'charts[2]', fail);
 * // fail('charts[2].orientation', 'must be "vertical" or "horizontal", got "sideways"')
 */
export function readDrawnChartFields(type: DrawnChartType, item: Record<string, unknown>, field: string, fail: (field: string, problem: string) => never): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const key of Object.keys(type.fields.properties)) if (item[key] !== undefined) own[key] = item[key];
  const error = Value.Errors(type.fields, own).First();
  if (error) {
    const key = error.path.split('/')[1] ?? '';
    fail(`${field}.${key}`, `${expected(type.fields.properties[key] as Schema | undefined)}, got ${JSON.stringify(own[key])}`);
  }
  return { ...type.defaults, ...own };
}

interface Schema {
  type?: string;
  anyOf?: { const?: unknown }[];
  description?: string;
}

/** What a field must be, in words (TypeBox's own messages name JSON Schema types, not the file's terms). */
function expected(schema: Schema | undefined): string {
  if (schema?.type === 'boolean') return 'must be true or false';
  if (schema?.anyOf) return `must be ${schema.anyOf.map((item) => JSON.stringify(item.const)).join(' or ')}`;
  if (schema?.type === 'array') return `must be a non-empty list of column names (${schema.description ?? ''})`;
  return `must be ${schema?.description ?? 'as docs/dashboards.md says'}`;
}
