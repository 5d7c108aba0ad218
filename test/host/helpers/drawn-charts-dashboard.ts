/**
 * A dashboard over the demo dataset with one chart of every type the host draws as SVG (line,
 * area, bar, combo, pie, donut, scatter, funnel, heatmap), in the shapes the types allow: a
 * month missing from a line, stacked areas, horizontal stacked bars, a combo with a line on a
 * second axis, a sized scatter; the pie and the donut side by side (half a row each, so never drawn
 * 900 px wide). The drawn-chart browser tests and the accessibility test load it.
 * @module
 */
import { parseDashboardDefinition, type DashboardDefinition } from '../../../src/host/index.js';

export const DRAWN_CHARTS = 90002;

const ACCOUNT = 'account_id = $ACCT_ID';
/** The account's first six months of orders, as `month` (YYYY-MM), without its third month. */
const SIX_MONTHS = `WITH first AS (SELECT date_trunc('month', min(ordered_on)) AS day FROM orders WHERE ${ACCOUNT}),
  six AS (SELECT o.*, strftime(o.ordered_on, '%Y-%m') AS month FROM orders o, first
          WHERE o.${ACCOUNT} AND o.ordered_on < first.day + INTERVAL 6 MONTH)`;

/** The charts' titles by type. */
export const DRAWN_TITLES = {
  line: 'Revenue by month, March left out',
  area: 'Orders by status',
  bar: 'Orders by product and status',
  combo: 'Revenue and orders',
  pie: 'Orders by product',
  donut: 'Orders by status, donut',
  scatter: 'Orders and revenue by month',
  funnel: 'From order to large order',
  heatmap: 'Orders by product and status, heat',
} as const;

/** The dashboard file, as JSON data. */
export const DRAWN_CHARTS_FILE = {
  id: DRAWN_CHARTS,
  title: 'Every drawn chart',
  variables: [{ name: 'ACCT_ID', kind: 'integer', everywhere: true }],
  charts: [
    {
      title: DRAWN_TITLES.line,
      type: 'line',
      formats: { month: 'date', revenue: { type: 'currency', currency: 'USD', decimals: 0 } },
      sql: `${SIX_MONTHS} SELECT month, sum(amount) AS revenue FROM six, first WHERE month <> strftime(first.day + INTERVAL 2 MONTH, '%Y-%m') GROUP BY 1 ORDER BY 1`,
    },
    {
      title: DRAWN_TITLES.area,
      type: 'area',
      stacked: true,
      formats: { month: 'date' },
      sql: `${SIX_MONTHS} SELECT month, count(*) FILTER (status = 'completed') AS completed, count(*) FILTER (status <> 'completed') AS other FROM six GROUP BY 1 ORDER BY 1`,
    },
    {
      title: DRAWN_TITLES.bar,
      type: 'bar',
      orientation: 'horizontal',
      stacked: true,
      sql: `SELECT product, count(*) FILTER (status = 'completed') AS completed, count(*) FILTER (status <> 'completed') AS other FROM orders WHERE ${ACCOUNT} GROUP BY 1 ORDER BY 1`,
    },
    {
      title: DRAWN_TITLES.combo,
      type: 'combo',
      lines: ['orders'],
      secondAxis: ['orders'],
      formats: { month: 'date', revenue: { type: 'currency', currency: 'USD', decimals: 0 } },
      sql: `${SIX_MONTHS} SELECT month, sum(amount) AS revenue, count(*) AS orders FROM six GROUP BY 1 ORDER BY 1`,
    },
    { title: DRAWN_TITLES.pie, type: 'pie', width: 6, sql: `SELECT product, count(*) AS orders FROM orders WHERE ${ACCOUNT} GROUP BY 1 ORDER BY 1` },
    { title: DRAWN_TITLES.donut, type: 'donut', width: 6, sql: `SELECT status, count(*) AS orders FROM orders WHERE ${ACCOUNT} GROUP BY 1 ORDER BY 1` },
    {
      title: DRAWN_TITLES.scatter,
      type: 'scatter',
      formats: { revenue: { type: 'currency', currency: 'USD', decimals: 0 } },
      sql: `${SIX_MONTHS} SELECT count(*) AS orders, sum(amount) AS revenue, count(DISTINCT user_id) AS buyers FROM six GROUP BY month ORDER BY month`,
    },
    {
      title: DRAWN_TITLES.funnel,
      type: 'funnel',
      sql: `SELECT 'Orders' AS stage, count(*) AS orders FROM orders WHERE ${ACCOUNT}
            UNION ALL SELECT 'Completed', count(*) FROM orders WHERE ${ACCOUNT} AND status = 'completed'
            UNION ALL SELECT 'Over $100', count(*) FROM orders WHERE ${ACCOUNT} AND status = 'completed' AND amount > 100`.replace('$100', '100 dollars'),
    },
    { title: DRAWN_TITLES.heatmap, type: 'heatmap', sql: `SELECT product, status, count(*) AS orders FROM orders WHERE ${ACCOUNT} GROUP BY 1, 2 ORDER BY 1, 2` },
  ],
};

/** The dashboard, validated. */
export function drawnChartsDashboard(): DashboardDefinition {
  return parseDashboardDefinition(DRAWN_CHARTS_FILE, 'drawn-charts.json');
}
