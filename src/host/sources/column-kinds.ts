/**
 * Each database's column types as the kinds a chart cares about (`ColumnKind`), for
 * `describe`: what `chartio-embed check` compares with the chart types' column rules. A type not
 * listed is `other`, which no rule refuses (a check never fails a dashboard on a guess).
 * @module
 */
import type { ColumnKind } from '../types.js';

const DUCKDB: Readonly<Record<string, ColumnKind>> = {
  ...Object.fromEntries(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'VARINT', 'BIGNUM'].map((name) => [name, 'number'])),
  ...Object.fromEntries(['VARCHAR', 'ENUM', 'UUID'].map((name) => [name, 'text'])),
  ...Object.fromEntries(['DATE', 'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP_TZ'].map((name) => [name, 'date'])),
  BOOLEAN: 'boolean',
};

/**
 * A DuckDB type, by its `DuckDBTypeId` name.
 *
 * @example
 * duckDbColumnKind('BIGINT'); // 'number'
 */
export function duckDbColumnKind(typeName: string | undefined): ColumnKind {
  return (typeName !== undefined && DUCKDB[typeName]) || 'other';
}

/** PostgreSQL's built-in type OIDs (pg_type), fixed across versions. */
const POSTGRES: ReadonlyMap<number, ColumnKind> = new Map<number, ColumnKind>([
  ...[20, 21, 23, 26, 700, 701, 790, 1700].map((oid) => [oid, 'number'] as const),
  ...[18, 19, 25, 1042, 1043, 2950].map((oid) => [oid, 'text'] as const),
  ...[1082, 1114, 1184].map((oid) => [oid, 'date'] as const),
  [16, 'boolean'],
]);

/**
 * A PostgreSQL type, by its OID (`dataTypeID` in pg's field description).
 *
 * @example
 * postgresColumnKind(1700); // 'number' (numeric)
 */
export function postgresColumnKind(oid: number): ColumnKind {
  return POSTGRES.get(oid) ?? 'other';
}

/** MySQL's and MariaDB's column type codes (the protocol's `MYSQL_TYPE_*`), fixed across versions. */
const MYSQL: ReadonlyMap<number, ColumnKind> = new Map<number, ColumnKind>([
  // DECIMAL, TINY, SHORT, LONG, FLOAT, DOUBLE, LONGLONG, INT24, YEAR, NEWDECIMAL
  ...[0, 1, 2, 3, 4, 5, 8, 9, 13, 246].map((code) => [code, 'number'] as const),
  // VARCHAR, ENUM, VAR_STRING, STRING (text columns; BLOB types stay `other`)
  ...[15, 247, 253, 254].map((code) => [code, 'text'] as const),
  // TIMESTAMP, DATE, DATETIME, NEWDATE
  ...[7, 10, 12, 14].map((code) => [code, 'date'] as const),
]);

/**
 * A MySQL or MariaDB column type, by its protocol code (`columnType` in mysql2's field packet).
 *
 * @example
 * mySqlColumnKind(246); // 'number' (DECIMAL)
 */
export function mySqlColumnKind(code: number | undefined): ColumnKind {
  return (code !== undefined && MYSQL.get(code)) || 'other';
}
