/**
 * The demo's dataset, generated at start-up inside DuckDB: 200 accounts, 5,000 users and
 * 300,000 orders over two years (2014–2015), about 305,000 rows in a fraction of a second. Every
 * value comes from `range()` and DuckDB's `hash()` of the row number with a salt, so the data is
 * the same on every start (for one DuckDB version: the package pins it) and nothing large is
 * committed.
 * @module
 */
import { createDuckDbDataSource, type DataSource, type DuckDbDataSourceOptions } from '../../src/host/index.js';

/** How many rows of each table the demo holds; tests and the README quote them. */
export const DEMO_DATASET_SIZE = { accounts: 200, users: 5_000, orders: 300_000 } as const;

/** The first and last day orders fall on. */
export const DEMO_ORDER_DAYS = { first: '2014-01-01', last: '2015-12-31' } as const;

const { accounts, users, orders } = DEMO_DATASET_SIZE;

/**
 * The statements that build the dataset, in order. `rnd(i, salt)` is a deterministic number in
 * [0, 1) per row and salt, so each column draws independently of the others.
 */
export const DEMO_DATASET_SQL: readonly string[] = [
  `CREATE OR REPLACE MACRO rnd(i, salt) AS (hash(i, salt) % 1000003) / 1000003.0`,
  `CREATE OR REPLACE TABLE accounts AS
   SELECT i::INTEGER AS account_id,
          list_element(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Soylent', 'Wonka'], 1 + (i % 10)::INTEGER)
            || ' ' || list_element(['Labs', 'Foods', 'Systems', 'Logistics', 'Media'], 1 + ((i // 10) % 5)::INTEGER)
            || ' ' || i AS name,
          list_element(['North America', 'Europe', 'Asia Pacific', 'Latin America'], 1 + floor(rnd(i, 'region') * 4)::INTEGER) AS region,
          list_element(['Starter', 'Team', 'Business', 'Enterprise'], 1 + floor(rnd(i, 'plan') * 4)::INTEGER) AS plan,
          DATE '2013-01-01' + floor(rnd(i, 'created') * 365)::INTEGER AS created_on
   FROM range(1, ${accounts + 1}) t(i)`,
  // Users belong to accounts round-robin: user u is in account 1 + (u - 1) % ${accounts}.
  `CREATE OR REPLACE TABLE users AS
   SELECT i::INTEGER AS user_id,
          (1 + (i - 1) % ${accounts})::INTEGER AS account_id,
          list_element(['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'], 1 + floor(rnd(i, 'first') * 10)::INTEGER)
            || ' ' || list_element(['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners-Lee'], 1 + floor(rnd(i, 'last') * 10)::INTEGER) AS name,
          DATE '2013-06-01' + floor(rnd(i, 'signup') * 700)::INTEGER AS signed_up_on
   FROM range(1, ${users + 1}) t(i)`,
  // Orders: accounts skewed (a few large customers), days trending upward, amounts long-tailed.
  // Stored in account and day order, as a multi-tenant table should be: every chart filters by
  // account, and DuckDB skips the row groups of other accounts (docs/dashboards.md).
  `CREATE OR REPLACE TABLE orders AS
   SELECT i::INTEGER AS order_id,
          account_id,
          (account_id + ${accounts} * floor(rnd(i, 'user') * ${users / accounts}))::INTEGER AS user_id,
          (DATE '${DEMO_ORDER_DAYS.first}' + floor(sqrt(rnd(i, 'day')) * 730)::INTEGER)::DATE AS ordered_on,
          list_element(['Starter', 'Team', 'Business', 'Enterprise'], 1 + floor(pow(rnd(i, 'product'), 1.5) * 4)::INTEGER) AS product,
          CASE WHEN rnd(i, 'status') < 0.9 THEN 'completed' WHEN rnd(i, 'status') < 0.96 THEN 'refunded' ELSE 'cancelled' END AS status,
          round(5 + pow(rnd(i, 'amount'), 3) * 995, 2)::DECIMAL(10, 2) AS amount
   FROM (SELECT i, (1 + floor(pow(rnd(i, 'account'), 2) * ${accounts}))::INTEGER AS account_id FROM range(1, ${orders + 1}) t(i))
   ORDER BY account_id, ordered_on, order_id`,
];

/**
 * Opens an in-memory DuckDB with the demo dataset loaded.
 *
 * @example
 * const database = await createDemoDatabase();
 * await database.query('SELECT count(*) AS n FROM orders', {}); // { columns: ['n'], rows: [[300000]], … }
 * await database.close();
 */
export function createDemoDatabase(options: Omit<DuckDbDataSourceOptions, 'setup'> = {}): Promise<DataSource> {
  return createDuckDbDataSource({ ...options, setup: DEMO_DATASET_SQL });
}
