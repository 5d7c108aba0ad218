/**
 * The fields every chart type shares, as TypeBox schemas: its title, its query (`sql`, `maxRows`,
 * `formats`, `download`) and its place in the layout (`width`, `height`). A chart type's module
 * (number.ts, table.ts, …) builds its schema from these and its own fields with
 * {@link chartSchema}. Each field carries its `description` (the docs' field table) and its
 * `errorMessage` (what the host says when the field is wrong).
 * @module
 */
import { Type, type TLiteral, type TObject, type TProperties } from '@sinclair/typebox';

/** Rows a chart may read at most, whatever its `maxRows`. */
export const MAX_ROWS_LIMIT = 10_000;
/** Rows a chart's CSV download holds at most unless its `download.maxRows` says otherwise. */
export const DEFAULT_DOWNLOAD_ROWS = 10_000;
/** The most rows a download may be set to hold. */
export const MAX_DOWNLOAD_ROWS = 100_000;
/** The longest title. */
export const MAX_TITLE_LENGTH = 200;
/** The longest SQL query. */
export const MAX_SQL_LENGTH = 20_000;
/** Chart heights, in CSS px: multiples of {@link HEIGHT_STEP} from the least to the most. */
export const MIN_HEIGHT = 120;
export const MAX_HEIGHT = 800;
export const HEIGHT_STEP = 40;

/** A title: a chart's or a dashboard's. */
export const Title = Type.String({
  minLength: 1,
  maxLength: MAX_TITLE_LENGTH,
  pattern: '\\S',
  description: 'Shown above the chart (or the dashboard).',
  errorMessage: `must be a non-empty text of at most ${MAX_TITLE_LENGTH} characters`,
});

/** A SQL query with `$NAME` parameters. */
export const Sql = Type.String({
  minLength: 1,
  maxLength: MAX_SQL_LENGTH,
  pattern: '\\S',
  description: 'The query, with Hidden Variables as `$NAME` parameters.',
  errorMessage: `must be a non-empty SQL query of at most ${MAX_SQL_LENGTH} characters`,
});

/** A column name, as a chart type's own fields name result columns. */
export const ColumnName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 200, description, errorMessage: 'must name a column of the query (1 to 200 characters)' });

/** One column's format: its type alone, or an object (read in detail by format-definition.ts). */
const ColumnFormatSchema = Type.Union(
  [
    Type.Union([Type.Literal('number'), Type.Literal('id'), Type.Literal('percent'), Type.Literal('date')]),
    Type.Object({ type: Type.Literal('number'), decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('id') }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('currency'), currency: Type.String({ pattern: '^[A-Z]{3}$' }), decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('percent'), decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })) }, { additionalProperties: false }),
    Type.Object({ type: Type.Literal('date') }, { additionalProperties: false }),
  ],
  { description: 'A column format: `"id"`, or `{ "type": "currency", "currency": "USD" }`.' },
);

/** The fields of a chart that runs a query. */
export const QUERY_FIELDS = {
  sql: Sql,
  maxRows: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_ROWS_LIMIT, description: 'Rows read at most (the default depends on the type).', errorMessage: `must be an integer from 1 to ${MAX_ROWS_LIMIT}` }),
  ),
  formats: Type.Optional(
    Type.Record(Type.String({ minLength: 1, maxLength: 200 }), ColumnFormatSchema, { description: 'How columns are shown, by column name (see Column formats).' }),
  ),
  download: Type.Optional(
    Type.Union(
      [
        Type.Boolean(),
        Type.Object(
          {
            sql: Type.Optional(Sql),
            maxRows: Type.Optional(
              Type.Integer({ minimum: 1, maximum: MAX_DOWNLOAD_ROWS, description: 'Rows the download holds at most.', errorMessage: `must be an integer from 1 to ${MAX_DOWNLOAD_ROWS}` }),
            ),
          },
          { additionalProperties: false },
        ),
      ],
      {
        description: 'The "Download CSV" button: `false` turns it off, `true` on, `{ "sql", "maxRows" }` sets what it runs.',
        errorMessage: 'must be true, false or an object like { "sql": "…", "maxRows": 1000 }',
      },
    ),
  ),
} satisfies TProperties;

/** The fields that place a chart in the layout. */
export const LAYOUT_FIELDS = {
  width: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 12, description: 'Twelfths of the row the chart takes (default: 3 for a number, 12 otherwise).', errorMessage: 'must be a whole number of twelfths of the row, from 1 to 12' }),
  ),
  height: Type.Optional(
    Type.Integer({
      minimum: MIN_HEIGHT,
      maximum: MAX_HEIGHT,
      multipleOf: HEIGHT_STEP,
      description: `The chart's drawing height in CSS px (a multiple of ${HEIGHT_STEP} from ${MIN_HEIGHT} to ${MAX_HEIGHT}).`,
      errorMessage: `must be a multiple of ${HEIGHT_STEP} from ${MIN_HEIGHT} to ${MAX_HEIGHT} (CSS px)`,
    }),
  ),
} satisfies TProperties;

/**
 * A chart type's schema: `title`, `type` (this type's name), the fields given, no others.
 *
 * @example
 * const TextChart = chartSchema('text', 'Markdown text, no query.', { ...LAYOUT_FIELDS, markdown: Type.String() });
 */
export function chartSchema<Name extends string, Fields extends TProperties>(type: Name, description: string, fields: Fields) {
  return Type.Object({ title: Title, type: Type.Literal(type) as TLiteral<Name>, ...fields }, { additionalProperties: false, description, title: `${type} chart`, errorMessage: 'must be an object' });
}

/** A chart type's schema, whatever its fields. */
export type ChartSchema = TObject;
