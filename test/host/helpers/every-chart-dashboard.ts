/**
 * A dashboard over the demo dataset with every chart type and every state a chart can show:
 * formatted values of each format, an empty result, a value of the wrong type, a missing Hidden
 * Variable, a failed query and a cut table. The accessibility and page-format tests load it.
 * @module
 */
import { parseDashboardDefinition, type DashboardDefinition } from '../../../src/host/index.js';

export const EVERY_CHART = 90001;

/** The charts' titles by what they show, for the tests to find them. */
export const EVERY_CHART_TITLES = {
  number: 'Revenue',
  line: 'Revenue per month',
  bar: 'Orders by product',
  table: 'Latest orders',
  empty: 'Orders in 1999',
  wrongType: 'Products as numbers',
  unavailable: 'Orders of one user',
  failed: 'A broken query',
} as const;

const ACCOUNT = 'account_id = $ACCT_ID';

/** The dashboard file, as JSON data. */
export const EVERY_CHART_FILE = {
  id: EVERY_CHART,
  title: 'Every chart type',
  variables: [
    { name: 'ACCT_ID', kind: 'integer', everywhere: true },
    { name: 'USER_ID', kind: 'integer', required: true },
  ],
  charts: [
    {
      title: EVERY_CHART_TITLES.number,
      type: 'number',
      formats: { revenue: { type: 'currency', currency: 'USD' } },
      sql: `SELECT sum(amount) AS revenue FROM orders WHERE ${ACCOUNT} AND status = 'completed'`,
    },
    {
      title: EVERY_CHART_TITLES.line,
      type: 'line',
      formats: { month: 'date', revenue: { type: 'currency', currency: 'USD', decimals: 0 } },
      sql: `SELECT substr(CAST(ordered_on AS VARCHAR), 1, 7) AS month, sum(amount) AS revenue FROM orders WHERE ${ACCOUNT} GROUP BY 1 ORDER BY 1`,
    },
    {
      title: EVERY_CHART_TITLES.bar,
      type: 'bar',
      beginAtZero: false,
      formats: { share: { type: 'percent', decimals: 1 } },
      sql: `SELECT product, count(*) * 1.0 / sum(count(*)) OVER () AS share FROM orders WHERE ${ACCOUNT} GROUP BY 1 ORDER BY 1`,
    },
    {
      title: EVERY_CHART_TITLES.table,
      type: 'table',
      maxRows: 5,
      formats: { order: 'id', day: 'date', amount: { type: 'currency', currency: 'EUR' }, units: { type: 'number', decimals: 1 } },
      sql: `SELECT order_id AS "order", ordered_on AS day, product, amount, amount / 10 AS units FROM orders WHERE ${ACCOUNT} ORDER BY ordered_on DESC, order_id DESC`,
    },
    {
      title: EVERY_CHART_TITLES.empty,
      type: 'line',
      sql: `SELECT ordered_on AS day, count(*) AS orders FROM orders WHERE ${ACCOUNT} AND ordered_on < DATE '2000-01-01' GROUP BY 1`,
    },
    {
      title: EVERY_CHART_TITLES.wrongType,
      type: 'bar',
      sql: `SELECT status, product FROM orders WHERE ${ACCOUNT} LIMIT 3`,
    },
    {
      title: EVERY_CHART_TITLES.unavailable,
      type: 'number',
      sql: `SELECT count(*) AS orders FROM orders WHERE ${ACCOUNT} AND user_id = $USER_ID`,
      // Downloadable (a number chart is not by default), so a download shows it unavailable.
      download: true,
    },
    {
      title: EVERY_CHART_TITLES.failed,
      type: 'table',
      sql: `SELECT no_such_column FROM orders WHERE ${ACCOUNT}`,
    },
  ],
};

/** The dashboard, validated. */
export function everyChartDashboard(): DashboardDefinition {
  return parseDashboardDefinition(EVERY_CHART_FILE, 'every-chart.json');
}
