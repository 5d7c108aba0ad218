/**
 * The dashboard file's schema, in TypeBox: JSON Schema as it is, so the schema the package
 * publishes (`chartio-embed/dashboard.schema.json`, written by scripts/emit-dashboard-schema.mjs)
 * is this definition, and the host validates files against the same objects
 * (dashboard-definition.ts). Chart types bring their own schemas (chart-types/).
 * @module
 */
import { MaxAgeSchema } from './max-age.js';
import { Type, type TSchema } from '@sinclair/typebox';
import { HIDDEN_VARIABLE_NAME, MAX_ENV_NAME_LENGTH } from '../../protocol/limits.js';
import { Title } from './chart-types/chart-fields.js';
import { CHART_KINDS } from './chart-types/index.js';

/** The most charts a dashboard holds. */
export const MAX_CHARTS = 50;
/** How a data source is named, in a dashboard file and in the host's options. */
export const DATA_SOURCE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** The schema's `$id`: where the package's copy is found by name. */
export const DASHBOARD_SCHEMA_ID = 'https://unpkg.com/chartio-embed/dist/dashboard.schema.json';

const VARIABLE_KINDS = ['text', 'integer', 'list', 'integer_list', 'date_range'] as const;

/** One Hidden Variable a dashboard reads. */
export const VariableSchema = Type.Object(
  {
    name: Type.String({
      pattern: HIDDEN_VARIABLE_NAME.source,
      maxLength: MAX_ENV_NAME_LENGTH,
      description: 'Upper snake case, as in the token\'s `env`: `ACCT_ID`.',
      errorMessage: 'must be a Hidden Variable name in upper snake case, like ACCT_ID',
    }),
    kind: Type.Union(
      VARIABLE_KINDS.map((kind) => Type.Literal(kind)),
      { description: 'How the value is read and bound: `text`, `integer`, `list`, `integer_list` or `date_range`.', errorMessage: `must be one of ${VARIABLE_KINDS.join(', ')}` },
    ),
    required: Type.Optional(Type.Boolean({ description: 'A chart using it shows a message instead of running without it (default: `everywhere`).', errorMessage: 'must be true or false' })),
    everywhere: Type.Optional(Type.Boolean({ description: 'Every chart\'s SQL must use it (the tenant filter); implies `required`.', errorMessage: 'must be true or false' })),
  },
  { additionalProperties: false, errorMessage: 'must be an object' },
);

/** The dashboard's own fields; `charts` is given (each chart is checked against its type's schema). */
function dashboardSchema<Chart extends TSchema>(chart: Chart) {
  return Type.Object(
    {
      $schema: Type.Optional(Type.String({ description: 'The schema this file follows, for editors: `chartio-embed/dashboard.schema.json` or its URL.', errorMessage: 'must be a text (a URL or a path)' })),
      id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The dashboard id tokens carry in their `dashboard` claim.', errorMessage: 'must be a positive integer (the dashboard id tokens carry)' }),
      title: Title,
      dataSource: Type.Optional(
        Type.String({
          pattern: DATA_SOURCE_NAME.source,
          description: 'The host\'s data source its queries run on (default: the host\'s only one).',
          errorMessage: 'must name one of the host\'s data sources (letters, digits, "_" and "-", starting with a letter)',
        }),
      ),
      downloads: Type.Optional(Type.Boolean({ description: '`false` turns every chart\'s "Download CSV" off (default: on).', errorMessage: 'must be true or false' })),
      maxAge: Type.Optional(MaxAgeSchema),
      variables: Type.Optional(Type.Array(VariableSchema, { description: 'The Hidden Variables its charts read.', errorMessage: 'must be a list' })),
      charts: Type.Array(chart, { minItems: 1, maxItems: MAX_CHARTS, description: 'The charts, in the order they flow into rows.', errorMessage: `must be a non-empty list of at most ${MAX_CHARTS} charts` }),
    },
    { additionalProperties: false, errorMessage: 'must be an object' },
  );
}

/** The file without its charts' insides: what the host checks before each chart against its type. */
export const DashboardShellSchema = dashboardSchema(Type.Unknown());

/**
 * The whole file, every chart type included: the published JSON Schema.
 *
 * @example
 * JSON.stringify(dashboardFileSchema(), null, 2); // what dashboard.schema.json holds
 */
export function dashboardFileSchema(): TSchema {
  const charts = [...CHART_KINDS.values()].map((kind) => kind.schema);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: DASHBOARD_SCHEMA_ID,
    title: 'chartio-embed dashboard file',
    description: 'A dashboard the chartio-embed host serves: its Hidden Variables and its charts (docs/dashboards.md).',
    ...dashboardSchema(Type.Union(charts)),
  } as TSchema;
}
