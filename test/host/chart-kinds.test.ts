/**
 * The server-drawn HTML chart types (number, table, pivot, text) and the layout fields: each
 * type's validation names the field at fault; the published schema (the same TypeBox
 * definition) accepts the shipped dashboards and `$schema`; the real host over DuckDB draws each
 * with the numbers the database gives; Markdown is escaped whole.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { loadDashboardFiles, parseDashboardDefinition, DashboardDefinitionError, type DataSource } from '../../src/host/index.js';
import { dashboardFileSchema } from '../../src/host/definition/dashboard-schema.js';
import { markdownToHtml } from '../../src/host/page/markdown.js';
import { CHART_KINDS_DASHBOARD, CHART_KINDS_FILE, chartKindsDashboard } from './helpers/chart-kinds-dashboard.js';
import { chartHtml, dashboardPath, DEMO_DASHBOARDS, openDemoDatabase, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

const file = () => structuredClone(CHART_KINDS_FILE) as any;

function refused(mutate: (file: any) => void, field: string, problem: RegExp): void {
  const broken = file();
  mutate(broken);
  assert.throws(
    () => parseDashboardDefinition(broken, 'k.json'),
    (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError, String(error));
      assert.equal(error.field, field, error.message);
      assert.match(error.message, problem);
      return true;
    },
  );
}

describe('validation', () => {
  test('the file is accepted with its $schema, and each type keeps its own fields and defaults', () => {
    const dashboard = chartKindsDashboard();
    const [number, sparkline, table, pivot, text] = dashboard.charts;
    assert.deepEqual([number!.comparison, number!.maxRows, number!.download, number!.width], ['previous', 1, false, 3]);
    assert.deepEqual([sparkline!.sparkline, sparkline!.maxRows], ['orders', 60]);
    assert.deepEqual([table!.totals, table!.width, table!.height, table!.maxRows], [true, 6, 240, 100]);
    assert.ok(table!.download && table!.download.maxRows === 10_000);
    assert.deepEqual([pivot!.pivot, pivot!.totals, pivot!.maxRows], [{ rows: 'product', columns: 'status', value: 'orders' }, true, 1000]);
    assert.deepEqual([text!.sql, text!.variables, text!.download, text!.width], ['', [], false, 12]);
  });

  test('each type\'s fields are named when wrong', () => {
    refused((f) => (f.charts[0].type = 'gauge'), 'charts[0].type', /\(chart "Orders, second half of 2014"\) must be one of number, line, area, bar, combo, pie, donut, scatter, funnel, heatmap, table, pivot, text, got "gauge"/);
    refused((f) => (f.charts[0].comparison = 5), 'charts[0].comparison', /must name a column of the query \(1 to 200 characters\), got 5/);
    refused((f) => (f.charts[0].sparkline = ''), 'charts[0].sparkline', /must name a column/);
    refused((f) => (f.charts[0].totals = true), 'charts[0].totals', /applies to table and pivot charts only, not to a number chart/);
    refused((f) => (f.charts[2].totals = 'yes'), 'charts[2].totals', /\(chart "Orders by product"\) must be true or false, got "yes"/);
    refused((f) => (f.charts[2].comparison = 'x'), 'charts[2].comparison', /applies to number charts only, not to a table chart/);
    refused((f) => delete f.charts[3].rows, 'charts[3].rows', /must name a column of the query .*, got nothing/);
    refused((f) => (f.charts[3].value = null), 'charts[3].value', /got null/);
    refused((f) => (f.charts[4].sql = 'SELECT 1'), 'charts[4].sql', /applies to number, line, area, bar, combo, pie, donut, scatter, funnel, heatmap, table and pivot charts only, not to a text chart/);
    refused((f) => (f.charts[4].markdown = ''), 'charts[4].markdown', /must be a non-empty Markdown text/);
    refused((f) => delete f.charts[4].markdown, 'charts[4].markdown', /got nothing/);
    refused((f) => (f.charts[4].colour = 'red'), 'charts[4].colour', /is not a known field \(known: title, type, width, height, markdown\)/);
    refused((f) => (f.charts[2].width = 13), 'charts[2].width', /twelfths of the row, from 1 to 12, got 13/);
    refused((f) => (f.charts[2].width = 0), 'charts[2].width', /from 1 to 12, got 0/);
    refused((f) => (f.charts[2].height = 250), 'charts[2].height', /must be a multiple of 40 from 120 to 800 \(CSS px\), got 250/);
    refused((f) => (f.charts[2].height = 2000), 'charts[2].height', /got 2000/);
    refused((f) => (f.$schema = 5), '$schema', /must be a text/);
  });

  test('a number chart offers no CSV download unless it asks for one', () => {
    const on = file();
    on.charts[0].download = true;
    assert.equal(parseDashboardDefinition(on, 'k.json').charts[0]!.download && true, true);
    const off = file();
    off.charts[2].download = false;
    assert.equal(parseDashboardDefinition(off, 'k.json').charts[2]!.download, false);
  });

  test('the published schema is the host\'s: it accepts every shipped dashboard and refuses what the host refuses', async () => {
    const schema = dashboardFileSchema();
    const shipped = [
      ...(await Promise.all(['38727', '38728'].map(async (id) => JSON.parse(await readFile(`${DEMO_DASHBOARDS}${id}.json`, 'utf8'))))),
      JSON.parse(await readFile(new URL('../../examples/quickstart/dashboards/sales.json', import.meta.url), 'utf8')),
      file(),
    ];
    for (const dashboard of shipped) assert.ok(Value.Check(schema, dashboard), JSON.stringify([...Value.Errors(schema, dashboard)].slice(0, 2).map((e) => [e.path, e.message])));
    for (const shippedFile of shipped.slice(0, 3)) assert.ok(typeof shippedFile.$schema === 'string' && shippedFile.$schema.endsWith('dashboard.schema.json'), 'the shipped examples reference the schema');
    const broken = file();
    broken.charts[2].colour = 'red';
    assert.equal(Value.Check(schema, broken), false);
    assert.equal(Value.Check(schema, { ...file(), charts: [{ title: 'x', type: 'gauge', sql: 'SELECT 1' }] }), false);
    // Every field the schema lists has a description (the docs' field table is made from them).
    const json = JSON.parse(JSON.stringify(schema));
    for (const chart of json.properties.charts.items.anyOf) {
      for (const [name, field] of Object.entries<any>(chart.properties)) if (name !== 'type') assert.ok(field.description, `${chart.title}.${name} has a description`);
    }
  });
});

describe('drawn by the real host', () => {
  let database: DataSource;
  let served: ServedHost;
  let page: string;
  const query = async (sql: string) => (await database.query(sql, { ACCT_ID: { type: 'integer', value: 7n } })).rows;

  before(async () => {
    database = await openDemoDatabase();
    served = await serveHost({ database, dashboards: [...(await loadDashboardFiles(DEMO_DASHBOARDS)), chartKindsDashboard()] });
    const token = await signToken({ now: Date.now }, { dashboard: CHART_KINDS_DASHBOARD, env: { ACCT_ID: '7' } });
    page = (await served.get(dashboardPath(CHART_KINDS_DASHBOARD, token))).text;
  });
  after(async () => {
    await served?.close();
    await database?.close();
  });

  test('a number with its change against the comparison column, ▲ or ▼ and the percentage', async () => {
    const [[orders, previous]] = (await query(CHART_KINDS_FILE.charts[0]!.sql!)) as [[number, number]];
    const html = chartHtml(page, 'Orders, second half of 2014');
    assert.match(html, new RegExp(`data-column="orders" data-value="${orders}"`));
    const change = (Number(orders) - Number(previous)) / Math.abs(Number(previous));
    const arrow = change > 0 ? '▲' : '▼';
    const words = change > 0 ? 'up' : 'down';
    assert.ok(Number.isFinite(change) && change !== 0, 'the two halves differ');
    assert.match(html, new RegExp(`<p class="change ${words}"><span aria-hidden="true">${arrow}</span><span class="visually-hidden">${words} </span><span data-value="${Math.abs(change)}" data-format="percent:1">${(Math.abs(change) * 100).toFixed(1)}%</span></p>`));
    assert.doesNotMatch(html, /Download CSV/, 'no CSV button on a number by default');
  });

  test('a sparkline over the rows, newest first, drawn right to left', async () => {
    const rows = await query(CHART_KINDS_FILE.charts[1]!.sql!);
    const html = chartHtml(page, 'Orders per month');
    assert.match(html, new RegExp(`data-value="${rows[0]![0]}"`), 'the value is the first row');
    const points = /<polyline points="([^"]+)"/.exec(html)![1]!.split(' ').map((point) => point.split(',').map(Number));
    assert.equal(points.length, rows.length);
    const values = rows.map((row) => Number(row[0])).reverse();
    const highest = values.indexOf(Math.max(...values));
    assert.equal(points[highest]![1], 1, 'the highest value is at the top');
    assert.ok(points[0]![0]! < points.at(-1)![0]!);
    assert.match(html, /<svg class="sparkline"[^>]* aria-hidden="true"/);
  });

  test('a table with sortable headers and a totals row of the numeric columns', async () => {
    const rows = await query(CHART_KINDS_FILE.charts[2]!.sql!);
    const html = chartHtml(page, 'Orders by product');
    assert.match(html, /<th scope="col"><button type="button" class="sort">product<\/button><\/th>/);
    const total = rows.reduce((sum, row) => sum + Number(row[1]), 0);
    const amount = rows.reduce((sum, row) => sum + Number(row[2]), 0);
    assert.match(html, new RegExp(`<tfoot><tr class="totals"><th scope="row">Total</th><td class="num" data-value="${total}" data-format="number">${total.toLocaleString('en-US')}</td><td class="num" data-value="${amount}" data-format="currency:USD">`));
    assert.match(html, /<figure class="chart chart-table w-6 h-240"/);
  });

  test('a pivot: rows by columns, each cell the sum, totals per row, per column and overall', async () => {
    const rows = await query(CHART_KINDS_FILE.charts[3]!.sql!);
    const html = chartHtml(page, 'Orders by product and status');
    const statuses = [...new Set(rows.map((row) => String(row[1])))];
    const head = [...html.matchAll(/<th scope="col" class="num">([^<]+)<\/th>/g)].map((match) => match[1]);
    assert.deepEqual(head, [...statuses, 'Total']);
    for (const product of new Set(rows.map((row) => String(row[0])))) {
      const cells = statuses.map((status) => rows.filter((row) => row[0] === product && row[1] === status).reduce((sum, row) => sum + Number(row[2]), 0));
      const rowHtml = new RegExp(`<th scope="row">${product}</th>${[...cells, cells.reduce((a, b) => a + b, 0)].map((n) => `<td class="num" data-value="${n}" data-format="number">[^<]+</td>`).join('')}</tr>`);
      assert.match(html, rowHtml, product);
    }
    const grand = rows.reduce((sum, row) => sum + Number(row[2]), 0);
    assert.match(html, new RegExp(`<td class="num" data-value="${grand}" data-format="number">[^<]+</td></tr></tfoot>`));
  });

  test('text: the Markdown subset as HTML, no query run', () => {
    const html = chartHtml(page, 'About these numbers');
    assert.match(html, /<div class="text"><h3>Sources<\/h3><p>Orders of <strong>your account<\/strong>, from <a href="https:\/\/example.com\/demo" rel="noopener noreferrer" target="_blank">the demo data<\/a>\.<\/p><ul><li>Refunds count as orders<\/li><li>Amounts in <em>US dollars<\/em><\/li><\/ul><\/div>/);
  });
});

test('Markdown: everything is escaped; only http and https links become links', () => {
  const html = markdownToHtml('# <img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](https://x.test/"onmouseover="alert(1)) <script>alert(2)</script> [c](data:text/html,x)\n\n1. **<b>x</b>**\n2. _y_');
  assert.doesNotMatch(html, /<img|<script|<b>|href="javascript|href="data|onmouseover="/);
  assert.match(html, /^<h3>&lt;img src=x onerror=alert\(1\)&gt;<\/h3>/);
  assert.match(html, /\[a\]\(javascript:alert\(1\)\)/);
  assert.match(html, /<a href="https:\/\/x.test\/&quot;onmouseover=&quot;alert\(1" rel="noopener noreferrer" target="_blank">b<\/a>/);
  assert.match(html, /<ol><li><strong>&lt;b&gt;x&lt;\/b&gt;<\/strong><\/li><li><em>y<\/em><\/li><\/ol>$/);
});
