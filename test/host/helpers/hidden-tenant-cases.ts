/**
 * SQL that hides the tenant parameter from the database (in a nested comment, a string, a name…)
 * and SQL that only looks as if it might, for the tenant check's tests on DuckDB and PostgreSQL:
 * each source's tests run the same cases on their own database.
 * @module
 */
import { parseDashboardDefinition, type DashboardDefinition } from '../../../src/host/index.js';

/** Three orders: two of account 1, one of account 2. The same SQL makes them in DuckDB and PostgreSQL. */
export const ORDERS_SQL = 'CREATE TABLE orders AS SELECT * FROM (VALUES (1, 10), (1, 11), (2, 20)) v(account_id, amount)';

/** Where the hidden dashboard's file would be: the check's messages name it. */
export const TENANT_FILE = 'dashboards/501.json';

/** The queries whose `$ACCT_ID` the database does not read (each would count every account's orders). */
export const HIDDEN_TENANT_SQL: readonly (readonly [string, string])[] = [
  ['a block comment that nests', 'SELECT count(*) AS n FROM orders /* /* */ WHERE account_id = $ACCT_ID */'],
  ['a dollar-quoted string', "SELECT count(*) AS n FROM orders WHERE $$ AND account_id = $ACCT_ID $$ <> ''"],
  ['a tagged dollar quote', "SELECT count(*) AS n FROM orders WHERE $q$ AND account_id = $ACCT_ID $q$ <> ''"],
  ['an E string with a backslash escape', "SELECT count(*) AS n FROM orders WHERE E'it\\' AND account_id = $ACCT_ID' <> ''"],
  ['a comment after a string holding --', "SELECT count(*) AS n FROM orders WHERE '--' <> '' -- AND account_id = $ACCT_ID"],
  ['a positional parameter in its place', 'SELECT count(*) AS n FROM orders /* /* */ WHERE account_id = $ACCT_ID */ WHERE $1::bigint IS NOT NULL'],
  ['a quoted identifier', 'SELECT count(*) AS "n$ACCT_ID" FROM orders'],
  ['a string literal', "SELECT count(*) AS n FROM orders WHERE '..$ACCT_ID..' <> ''"],
  ['a string literal cast', "SELECT count(*) AS n FROM orders WHERE '$ACCT_ID'::text <> ''"],
  ['a name holding $', 'SELECT count(*) AS n FROM orders o$ACCT_ID'],
];

/** Queries that filter by `$ACCT_ID` although they look as if they might not: each counts 2 for account 1. */
export const VISIBLE_TENANT_SQL: readonly (readonly [string, string])[] = [
  ['a cast', 'SELECT count(*) AS n FROM orders WHERE account_id = $ACCT_ID::int'],
  ['-- inside a string', "SELECT count(*) AS n, '--' AS s FROM orders WHERE account_id = $ACCT_ID"],
  ['a comment ended by a carriage return', 'SELECT count(*) AS n FROM orders -- every order\rWHERE account_id = $ACCT_ID'],
  ['an E string ending in an escaped backslash', "SELECT count(*) AS n FROM orders WHERE E'a\\\\' <> '' AND account_id = $ACCT_ID"],
  ['a comment that nests, closed', 'SELECT count(*) AS n FROM orders /* a /* b */ c */ WHERE account_id = $ACCT_ID'],
];

/** The tenant dashboard's file: one number chart filtered by `$ACCT_ID` (an `everywhere` integer). */
export function tenantFile(sql = 'SELECT count(*) AS n FROM orders WHERE account_id = $ACCT_ID', download?: string) {
  return {
    id: 501,
    title: 'Tenant orders',
    variables: [{ name: 'ACCT_ID', kind: 'integer', everywhere: true }],
    // A number chart has no CSV download unless it asks for one: this one does, so the CSV route is checked too.
    charts: [{ title: 'Orders', type: 'number', sql, download: download === undefined ? true : { sql: download } }],
  };
}

/**
 * The tenant dashboard made in code with `sql` as its chart's query (and `download` as its
 * download's), past the host's own reading of SQL: what the database check must catch alone.
 */
export function tenantDashboard(sql: string, download?: string): DashboardDefinition {
  const parsed = parseDashboardDefinition(tenantFile(), TENANT_FILE);
  const chart = parsed.charts[0]!;
  return { ...parsed, charts: [{ ...chart, sql, download: { sql: download ?? sql, maxRows: 100, variables: ['ACCT_ID'] } }] };
}
