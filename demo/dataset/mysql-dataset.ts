/**
 * The demo on MySQL or MariaDB: the demo dataset copied row for row from DuckDB (which generates
 * it), and the demo dashboards with their SQL written in MySQL's dialect, so each dashboard shows
 * the same numbers as on DuckDB and PostgreSQL. Only the SQL differs: lists are JSON arrays there
 * (`JSON_CONTAINS($PRODUCTS, JSON_QUOTE(product))` for `array_position($PRODUCTS, product)`), names
 * are quoted with backticks, a week starts at `WEEKDAY()`'s Monday, `GROUP_CONCAT` joins text, and
 * `SUM(condition)` counts where the others write `count(*) FILTER (WHERE …)`.
 * @module
 */
import mysql from 'mysql2/promise';
import type { DashboardDefinition, DataSource } from '../../src/host/index.js';
import { createDemoDatabase, DEMO_DATASET_SIZE } from './demo-dataset.js';

/**
 * Each table: its columns with their MySQL types, in the order DuckDB gives them. Primary keys:
 * MariaDB joins by nested loops, which the demo's joins on `user_id` need an index for.
 */
const TABLES = {
  accounts: [['account_id', 'INT PRIMARY KEY'], ['name', 'VARCHAR(100)'], ['region', 'VARCHAR(100)'], ['plan', 'VARCHAR(100)'], ['created_on', 'DATE']],
  users: [['user_id', 'INT PRIMARY KEY'], ['account_id', 'INT'], ['name', 'VARCHAR(100)'], ['signed_up_on', 'DATE']],
  orders: [['order_id', 'INT PRIMARY KEY'], ['account_id', 'INT'], ['user_id', 'INT'], ['ordered_on', 'DATE'], ['product', 'VARCHAR(100)'], ['status', 'VARCHAR(100)'], ['amount', 'DECIMAL(10,2)']],
} as const;

/** The SELECT-only user a demo host connects as (the docs' advice: the grants are the database's guard). */
export const DEMO_MYSQL_USER = 'dashboards';

/** Rows sent per INSERT. */
const BATCH = 20_000;

/**
 * Creates the demo's tables in the MySQL or MariaDB database at `url` (replacing them if they
 * exist), fills them with the demo dataset, and makes the SELECT-only user
 * {@link DEMO_MYSQL_USER} (no password, from 127.0.0.1). `from` is a DuckDB demo database to copy
 * from (one is opened and closed here when not given).
 *
 * @example
 * await loadDemoDatasetIntoMySql('mysql://root@127.0.0.1:3306/app');
 */
export async function loadDemoDatasetIntoMySql(url: string, from?: DataSource): Promise<void> {
  const duckdb = from ?? (await createDemoDatabase());
  const connection = await mysql.createConnection(url);
  try {
    for (const [table, columns] of Object.entries(TABLES)) {
      await connection.query(`DROP TABLE IF EXISTS ${table}`);
      await connection.query(`CREATE TABLE ${table} (${columns.map(([name, type]) => `${name} ${type} NOT NULL`).join(', ')}) ENGINE=InnoDB`);
    }
    // The rows in one transaction (after the DDL, which commits by itself): a commit per batch would flush the log each time.
    await connection.query('START TRANSACTION');
    for (const [table, columns] of Object.entries(TABLES)) {
      const names = columns.map(([name]) => name);
      const { rows } = await duckdb.query(`SELECT ${names.join(', ')} FROM ${table} ORDER BY 1`, {}, { maxRows: DEMO_DATASET_SIZE.orders });
      for (let start = 0; start < rows.length; start += BATCH) {
        // The demo's own rows: the driver escapes them into one multi-row INSERT.
        await connection.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES ?`, [rows.slice(start, start + BATCH)]);
      }
    }
    await connection.query('COMMIT');
    // The index a real multi-tenant warehouse has: every chart filters by account, most by day.
    await connection.query('CREATE INDEX orders_by_account_day ON orders (account_id, ordered_on)');
    const [database] = (await connection.query('SELECT DATABASE() AS name'))[0] as { name: string }[];
    await connection.query(`CREATE USER IF NOT EXISTS '${DEMO_MYSQL_USER}'@'127.0.0.1'`);
    await connection.query(`GRANT SELECT ON \`${database!.name}\`.* TO '${DEMO_MYSQL_USER}'@'127.0.0.1'`);
  } finally {
    await connection.end();
    if (!from) await duckdb.close();
  }
}

/** The filters every chart of the demo applies, in MySQL's dialect. */
const PRODUCTS = (column: string) => `($PRODUCTS IS NULL OR JSON_CONTAINS($PRODUCTS, JSON_QUOTE(${column})))`;
const OVERVIEW_FILTERS = (prefix = '') =>
  `${prefix}account_id = $ACCT_ID AND ($DATE_RANGE_START IS NULL OR ${prefix}ordered_on >= $DATE_RANGE_START) AND ($DATE_RANGE_END IS NULL OR ${prefix}ordered_on <= $DATE_RANGE_END) AND ($USER_ID IS NULL OR ${prefix}user_id = $USER_ID) AND ${PRODUCTS(`${prefix}product`)}`;
const MIX_FILTERS = (prefix = '') => `${prefix}account_id = $ACCT_ID AND ${PRODUCTS(`${prefix}product`)} AND ($USER_ID IS NULL OR ${prefix}user_id = $USER_ID) AND ${prefix}ordered_on BETWEEN $DATE_RANGE_START AND $DATE_RANGE_END`;

/** "Sales at a glance": the filters without the dates, the chosen dates, the period of the same length just before them, a month's label. */
const SALES_FILTERS = (prefix = '') => `${prefix}account_id = $ACCT_ID AND ${PRODUCTS(`${prefix}product`)} AND ($USER_ID IS NULL OR ${prefix}user_id = $USER_ID)`;
const CURRENT = 'ordered_on BETWEEN $DATE_RANGE_START AND $DATE_RANGE_END';
const PREVIOUS = 'ordered_on BETWEEN $DATE_RANGE_START - INTERVAL (DATEDIFF($DATE_RANGE_END, $DATE_RANGE_START) + 1) DAY AND $DATE_RANGE_START - INTERVAL 1 DAY';
const MONTH = 'substr(CAST(ordered_on AS CHAR), 1, 7)';

/** Each demo dashboard's charts' SQL on MySQL, by dashboard id and chart title. */
export const DEMO_MYSQL_SQL: Readonly<Record<number, Readonly<Record<string, string>>>> = {
  38727: {
    'Completed orders': `SELECT count(*) AS orders FROM orders WHERE ${OVERVIEW_FILTERS()} AND status = 'completed'`,
    'Revenue (USD)': `SELECT coalesce(sum(amount), 0) AS revenue FROM orders WHERE ${OVERVIEW_FILTERS()} AND status = 'completed'`,
    'Ordering users': `SELECT count(DISTINCT user_id) AS users FROM orders WHERE ${OVERVIEW_FILTERS()}`,
    'Revenue per month': `SELECT substr(CAST(ordered_on AS CHAR), 1, 7) AS month, sum(amount) AS revenue FROM orders WHERE ${OVERVIEW_FILTERS()} AND status = 'completed' GROUP BY 1 ORDER BY 1`,
    'Orders by product': `SELECT product, sum(status = 'completed') AS completed, sum(status <> 'completed') AS \`refunded or cancelled\` FROM orders WHERE ${OVERVIEW_FILTERS()} GROUP BY 1 ORDER BY 1`,
    'Latest orders': `SELECT o.order_id AS \`order\`, o.ordered_on AS day, u.name AS customer, o.product, o.status, o.amount FROM orders o JOIN users u USING (user_id) WHERE ${OVERVIEW_FILTERS('o.')} ORDER BY o.ordered_on DESC, o.order_id DESC LIMIT 10`,
  },
  38728: {
    'Revenue by product (USD)': `SELECT product, sum(amount) AS revenue FROM orders WHERE ${MIX_FILTERS()} AND status = 'completed' GROUP BY 1 ORDER BY 1`,
    'Orders per week': `SELECT substr(CAST(ordered_on - INTERVAL WEEKDAY(ordered_on) DAY AS CHAR), 1, 10) AS week, count(*) AS orders FROM orders WHERE ${MIX_FILTERS()} GROUP BY 1 ORDER BY 1`,
    'Top customers': `SELECT u.name AS customer, count(*) AS orders, sum(o.amount) AS revenue FROM orders o JOIN users u USING (user_id) WHERE ${MIX_FILTERS('o.')} AND o.status = 'completed' GROUP BY u.user_id, u.name ORDER BY revenue DESC, u.user_id LIMIT 10`,
    'Products shown': `SELECT CASE WHEN $PRODUCTS IS NULL THEN 'All products' ELSE (SELECT GROUP_CONCAT(p ORDER BY p SEPARATOR ', ') FROM JSON_TABLE($PRODUCTS, '$[*]' COLUMNS (p VARCHAR(100) PATH '$')) AS t) END AS products FROM accounts WHERE account_id = $ACCT_ID`,
  },
  38729: {
    'Revenue (USD)': `SELECT sum(sum(amount)) OVER () AS revenue, (SELECT sum(amount) FROM orders WHERE ${SALES_FILTERS()} AND status = 'completed' AND ${PREVIOUS}) AS \`previous period\`, sum(amount) AS \`month revenue\`, ${MONTH} AS month FROM orders WHERE ${SALES_FILTERS()} AND status = 'completed' AND ${CURRENT} GROUP BY ${MONTH} ORDER BY ${MONTH} DESC`,
    Orders: `SELECT sum(${CURRENT}) AS orders, sum(${PREVIOUS}) AS \`previous period\` FROM orders WHERE ${SALES_FILTERS()} AND ((${CURRENT}) OR (${PREVIOUS}))`,
    'Average order (USD)': `SELECT round(avg(amount), 2) AS average FROM orders WHERE ${SALES_FILTERS()} AND status = 'completed' AND ${CURRENT}`,
    'Revenue share by product': `SELECT product, sum(amount) AS revenue FROM orders WHERE ${SALES_FILTERS()} AND status = 'completed' AND ${CURRENT} GROUP BY 1 ORDER BY 2 DESC, 1`,
    'Orders per month by status': `SELECT ${MONTH} AS month, sum(status = 'completed') AS completed, sum(status = 'refunded') AS refunded, sum(status = 'cancelled') AS cancelled FROM orders WHERE ${SALES_FILTERS()} AND ${CURRENT} GROUP BY 1 ORDER BY 1`,
    'Revenue and orders per month': `SELECT ${MONTH} AS month, sum(CASE WHEN status = 'completed' THEN amount END) AS revenue, count(*) AS orders FROM orders WHERE ${SALES_FILTERS()} AND ${CURRENT} GROUP BY 1 ORDER BY 1`,
  },
};

/**
 * The demo dashboards with each chart's SQL in MySQL's dialect (everything else as it is: titles,
 * types, formats, variables, layout; text charts, which run no query, as they are). Throws naming
 * the chart when one has no MySQL text, so a chart added to the demo cannot go unported.
 *
 * @example
 * const onMariaDb = demoDashboardsForMySql(await loadDashboardFiles(DEMO_DASHBOARDS));
 */
export function demoDashboardsForMySql(dashboards: readonly DashboardDefinition[]): DashboardDefinition[] {
  return dashboards.map((dashboard) => ({
    ...dashboard,
    charts: dashboard.charts.map((chart) => {
      // A text chart runs no query: nothing to port.
      if (chart.type === 'text') return chart;
      const sql = DEMO_MYSQL_SQL[dashboard.id]?.[chart.title];
      if (sql === undefined) throw new Error(`demo dashboard ${dashboard.id}, chart "${chart.title}": no MySQL SQL in demo/dataset/mysql-dataset.ts`);
      if (chart.download && chart.download.sql !== chart.sql) throw new Error(`demo dashboard ${dashboard.id}, chart "${chart.title}": its download's own SQL has no MySQL text`);
      return { ...chart, sql, ...(chart.download ? { download: { ...chart.download, sql } } : {}) };
    }),
  }));
}
