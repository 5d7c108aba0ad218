/**
 * `dataSources` in host.json: one schema per database kind, told apart by `type`. A new kind is
 * one more schema here and one more member of {@link DataSourceSchema}'s union; the validator's
 * message (`type must be "postgres", "mysql" or "duckdb"`) follows the union.
 * @module
 */
import { Type, type Static } from '@sinclair/typebox';
import { ENV_NAME_PATTERN, ENV_NAME_PROBLEM, words } from './annotations.js';

const count = (maximum: number, description: string) => Type.Optional(Type.Integer(words({ minimum: 1, maximum }, { description })));

/** `urlEnv`: where the URL is, when it is not in the file. */
export const UrlEnvSchema = Type.String(words({ pattern: ENV_NAME_PATTERN }, { description: 'The name of an environment variable holding the URL (instead of url).', must: 'be the name of an environment variable', problem: ENV_NAME_PROBLEM }));

/** A PostgreSQL database. */
export const PostgresSourceSchema = Type.Object(
  {
    type: Type.Literal('postgres'),
    url: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'postgresql://user@host:5432/database (or give urlEnv).', must: 'be a URL like "postgresql://user@host:5432/database"' }))),
    urlEnv: Type.Optional(UrlEnvSchema),
    connections: count(256, 'Connections in the pool (default 10).'),
    statementTimeoutMs: Type.Optional(Type.Integer(words({ minimum: 1 }, { description: 'The server-side statement_timeout of each query.' }))),
    transactionSettings: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*$' }),
        Type.String(words({ pattern: '^[A-Z][A-Z0-9_]*$' }, { must: 'name a Hidden Variable in upper snake case, like "ACCT_ID"' })),
        words(
          { minProperties: 1 },
          {
            description: 'Row-level security: setting names to Hidden Variables, { "chartio.acct_id": "ACCT_ID" }.',
            whenEmpty: 'must map at least one setting to a Hidden Variable, like { "chartio.acct_id": "ACCT_ID" }',
            keyProblem: 'is not a custom setting name: write it lower case with a prefix, like "chartio.acct_id"',
          },
        ),
      ),
    ),
  },
  { additionalProperties: false, description: 'A PostgreSQL database.' },
);

/** A MySQL or MariaDB database. */
export const MySqlSourceSchema = Type.Object(
  {
    type: Type.Literal('mysql'),
    url: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'mysql://user@host:3306/database, MySQL or MariaDB (or give urlEnv).', must: 'be a URL like "mysql://user@host:3306/database"' }))),
    urlEnv: Type.Optional(UrlEnvSchema),
    connections: count(256, 'Connections in the pool (default 10).'),
    statementTimeoutMs: Type.Optional(Type.Integer(words({ minimum: 1 }, { description: 'The server-side statement time limit of each query (max_statement_time on MariaDB, max_execution_time on MySQL).' }))),
  },
  { additionalProperties: false, description: 'A MySQL or MariaDB database.' },
);

/** A DuckDB database (a file, or in memory). */
export const DuckDbSourceSchema = Type.Object(
  {
    type: Type.Literal('duckdb'),
    path: Type.Optional(Type.String(words({ minLength: 1 }, { description: 'A database file (relative to host.json), or ":memory:" (the default).', must: 'be a database file, or ":memory:"' }))),
    readOnly: Type.Optional(Type.Boolean({ description: 'Open the file read-only (default: true for a file, false in memory).' })),
    connections: count(64, 'Connections (default 4).'),
    setup: Type.Optional(Type.Array(Type.String(), { description: 'SQL run once at start (views over CSV or Parquet files, say).' })),
  },
  { additionalProperties: false, description: 'A DuckDB database.' },
);

/** One data source: a member per kind. */
export const DataSourceSchema = Type.Union([PostgresSourceSchema, MySqlSourceSchema, DuckDbSourceSchema]);

/** `dataSources`: names to data sources. */
export const DataSourcesSchema = Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' }), DataSourceSchema, words(
  { minProperties: 1 },
  {
    description: 'The databases, by name; a dashboard names its own in its dataSource field.',
    whenEmpty: 'must name at least one data source, like { "warehouse": { "type": "postgres", "urlEnv": "DATABASE_URL" } }',
    keyProblem: 'is not a name (letters, digits, "_" and "-", starting with a letter)',
  },
));

/** A data source as written in the file. */
export type DataSourceFile = Static<typeof DataSourceSchema>;
