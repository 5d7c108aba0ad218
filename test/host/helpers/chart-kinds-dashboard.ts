/**
 * A dashboard with every server-drawn HTML chart type (number with a change and a sparkline,
 * sortable table with totals, pivot, text) and a layout (two half-width charts in one row), over
 * the demo dataset, for the render, layout and accessibility tests.
 */
import { parseDashboardDefinition, type DashboardDefinition } from '../../../src/host/index.js';

export const CHART_KINDS_DASHBOARD = 39001;

const ACCOUNT = 'account_id = $ACCT_ID';

/** The file, as a user writes it. */
export const CHART_KINDS_FILE = {
  $schema: '../../dist/dashboard.schema.json',
  id: CHART_KINDS_DASHBOARD,
  title: 'Chart kinds',
  variables: [{ name: 'ACCT_ID', kind: 'integer', everywhere: true }],
  charts: [
    {
      title: 'Orders, second half of 2014',
      type: 'number',
      // The second half of 2014 against the first.
      sql: `SELECT count(*) FILTER (WHERE ordered_on >= DATE '2014-07-01' AND ordered_on < DATE '2015-01-01') AS orders, count(*) FILTER (WHERE ordered_on >= DATE '2014-01-01' AND ordered_on < DATE '2014-07-01') AS previous FROM orders WHERE ${ACCOUNT}`,
      comparison: 'previous',
    },
    {
      title: 'Orders per month',
      type: 'number',
      sql: `SELECT count(*) AS orders FROM orders WHERE ${ACCOUNT} GROUP BY date_trunc('month', ordered_on) ORDER BY date_trunc('month', ordered_on) DESC`,
      sparkline: 'orders',
    },
    {
      title: 'Orders by product',
      type: 'table',
      sql: `SELECT product, count(*) AS orders, sum(amount) AS amount FROM orders WHERE ${ACCOUNT} GROUP BY product ORDER BY product`,
      formats: { amount: { type: 'currency', currency: 'USD' } },
      totals: true,
      width: 6,
      height: 240,
    },
    {
      title: 'Orders by product and status',
      type: 'pivot',
      sql: `SELECT product, status, count(*) AS orders FROM orders WHERE ${ACCOUNT} GROUP BY product, status`,
      rows: 'product',
      columns: 'status',
      value: 'orders',
      width: 6,
    },
    {
      title: 'About these numbers',
      type: 'text',
      markdown: '## Sources\n\nOrders of **your account**, from [the demo data](https://example.com/demo).\n\n- Refunds count as orders\n- Amounts in *US dollars*',
    },
  ],
};

/** The dashboard, parsed. */
export function chartKindsDashboard(): DashboardDefinition {
  return parseDashboardDefinition(structuredClone(CHART_KINDS_FILE), 'chart-kinds.json');
}
