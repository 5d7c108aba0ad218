/**
 * The demo dataset in PostgreSQL: the same rows as in DuckDB, row for row. DuckDB generates them
 * (its `hash()` is what makes the data; PostgreSQL's would make other data), and they are copied
 * over in batches of typed arrays (`INSERT … SELECT * FROM unnest($1::int[], …)`), so the demo
 * dashboards show the same numbers on either database.
 *
 * Each table is also set up for row-level security, as a multi-tenant warehouse would be: a
 * policy keeps every row whose `account_id` is not the transaction's `chartio.acct_id` setting
 * out of sight, and the role {@link DEMO_DASHBOARDS_ROLE} (no superuser, no `BYPASSRLS`, owns no
 * table) may read them. A host connecting as that role with `"transactionSettings": {
 * "chartio.acct_id": "ACCT_ID" }` has PostgreSQL enforce each token's tenant whatever a chart's
 * SQL says (docs/host-operations.md, "Row-level security in PostgreSQL"); the owner `app`, a
 * superuser, still reads everything.
 * @module
 */
import pg from 'pg';
import type { DataSource } from '../../src/host/index.js';
import { createDemoDatabase, DEMO_DATASET_SIZE } from './demo-dataset.js';

/** Each table: its columns with their PostgreSQL types, in the order DuckDB gives them. */
const TABLES = {
  accounts: [['account_id', 'integer'], ['name', 'text'], ['region', 'text'], ['plan', 'text'], ['created_on', 'date']],
  users: [['user_id', 'integer'], ['account_id', 'integer'], ['name', 'text'], ['signed_up_on', 'date']],
  orders: [['order_id', 'integer'], ['account_id', 'integer'], ['user_id', 'integer'], ['ordered_on', 'date'], ['product', 'text'], ['status', 'text'], ['amount', 'numeric(10,2)']],
} as const;

/** The read-only role the demo host connects as (trust authentication in the tests' clusters). */
export const DEMO_DASHBOARDS_ROLE = 'dashboards';

/**
 * The tenant policy of every table: no setting (or an empty one) is no account, so no row.
 * `current_setting(…, true)` gives NULL rather than an error when the setting was never made.
 */
const TENANT_POLICY = "USING (account_id = NULLIF(current_setting('chartio.acct_id', true), '')::int)";

/** Rows sent per INSERT. */
const BATCH = 50_000;

/**
 * Creates the demo's tables in the PostgreSQL database at `connectionString` (replacing them if
 * they exist) and fills them with the demo dataset. `from` is a DuckDB demo database to copy from
 * (one is opened and closed here when not given).
 *
 * @example
 * await loadDemoDatasetIntoPostgres('postgresql://app@127.0.0.1:5432/app');
 */
export async function loadDemoDatasetIntoPostgres(connectionString: string, from?: DataSource): Promise<void> {
  const duckdb = from ?? (await createDemoDatabase());
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const [table, columns] of Object.entries(TABLES)) {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(`CREATE TABLE ${table} (${columns.map(([name, type]) => `${name} ${type} NOT NULL`).join(', ')})`);
      const names = columns.map(([name]) => name);
      const { rows } = await duckdb.query(`SELECT ${names.join(', ')} FROM ${table} ORDER BY 1`, {}, { maxRows: DEMO_DATASET_SIZE.orders });
      const unnest = columns.map(([, type], index) => `$${index + 1}::${type.replace(/\(.*\)/, '')}[]`).join(', ');
      for (let start = 0; start < rows.length; start += BATCH) {
        const batch = rows.slice(start, start + BATCH);
        const values = columns.map((_, column) => batch.map((row) => row[column]));
        await client.query(`INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${unnest})`, values);
      }
    }
    // Every chart of a tenant's dashboard filters by account (and most by day): the index a
    // real multi-tenant warehouse has, which the DuckDB side gets from its rows' order.
    await client.query('CREATE INDEX orders_by_account_day ON orders (account_id, ordered_on)');
    // Roles belong to the cluster, not the database: made once, whichever database loads first.
    await client.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DEMO_DASHBOARDS_ROLE}') THEN
        CREATE ROLE ${DEMO_DASHBOARDS_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$`);
    for (const table of Object.keys(TABLES)) {
      await client.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await client.query(`CREATE POLICY tenant ON ${table} ${TENANT_POLICY}`);
      await client.query(`GRANT SELECT ON ${table} TO ${DEMO_DASHBOARDS_ROLE}`);
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
    if (!from) await duckdb.close();
  }
}
