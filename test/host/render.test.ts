/**
 * Rendering: escaping, chart HTML and canvas specs, error pages, and the binding of a token's
 * env to a chart's parameters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindChartVariables, isIsoDate } from '../../src/host/bind-variables.js';
import { renderErrorPage } from '../../src/host/error-page.js';
import { escapeHtml, jsonForScript } from '../../src/host/html.js';
import { parseDashboardDefinition } from '../../src/host/index.js';
import { formatCell, renderChart } from '../../src/host/render-chart.js';

const dashboard = parseDashboardDefinition(
  {
    id: 1,
    title: 'T',
    variables: [
      { name: 'ACCT_ID', kind: 'text', required: true },
      { name: 'PRODUCTS', kind: 'list' },
      { name: 'DATE_RANGE', kind: 'date_range' },
    ],
    charts: [
      { title: 'Line <x>', type: 'line', sql: 'SELECT $ACCT_ID, $PRODUCTS, $DATE_RANGE_START, $DATE_RANGE_END' },
      { title: 'Table', type: 'table', sql: 'SELECT 1' },
    ],
  },
  't.json',
);
const [line, table] = dashboard.charts as [typeof dashboard.charts[0], typeof dashboard.charts[0]];

test('escapeHtml and jsonForScript leave no way out of an element or a script block', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  const json = jsonForScript({ s: '</script><!-- \u2028' });
  assert.ok(!json.includes('<') && !json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), { s: '</script><!-- \u2028' });
});

test('a line chart becomes a canvas and a spec: first column labels, one series per further column', () => {
  const rendered = renderChart({ chart: line, status: 'ok', result: { columns: ['month', 'a', 'b'], rows: [['2014-01', 1, '2.5'], ['2014-02', null, 'x']], truncated: false } }, 3);
  assert.match(rendered.html, /<canvas id="chart-3-canvas" role="img" aria-label="Line &lt;x&gt;"><\/canvas>/);
  assert.deepEqual(rendered.spec, {
    canvas: 'chart-3-canvas',
    type: 'line',
    labels: ['2014-01', '2014-02'],
    series: [
      { label: 'a', data: [1, null] },
      { label: 'b', data: [2.5, null] },
    ],
  });
  const single = renderChart({ chart: line, status: 'ok', result: { columns: ['only'], rows: [], truncated: false } }, 0);
  assert.match(single.html, /data-status="failed"[\s\S]*two columns or more/);
  assert.equal(single.spec, undefined);
});

test('a table escapes cells, aligns numbers and notes a cut result', () => {
  const rendered = renderChart({ chart: table, status: 'ok', result: { columns: ['<c>'], rows: [['<b>'], [1234.567], [null]], truncated: true } }, 0);
  assert.match(rendered.html, /<th scope="col">&lt;c&gt;<\/th>/);
  assert.match(rendered.html, /<td>&lt;b&gt;<\/td><\/tr><tr><td class="num">1,234.57<\/td><\/tr><tr><td>—<\/td>/);
  assert.match(rendered.html, /Showing the first 3 rows\./);
  assert.equal(formatCell(true), 'true');
});

test('an error page names the rule in a sentence and never shows more than the message given', () => {
  const page = renderErrorPage('token_dashboard', 'the token is for dashboard 2, not 1 <b>');
  assert.equal(page.status, 403);
  assert.match(page.html, /<p>The embed token was issued for another dashboard\.<\/p>/);
  assert.match(page.html, /dashboard 2, not 1 &lt;b&gt;/);
  assert.equal(renderErrorPage('secret_too_short').code, 'internal_error', 'a code with no page of its own is a 500');
  assert.equal(renderErrorPage('secret_too_short').status, 500);
});

test('binding: text, list (a string is a one-item list), date range, optional missing → NULL', () => {
  assert.deepEqual(bindChartVariables(line, dashboard.variables, { ACCT_ID: '7', PRODUCTS: 'Team', DATE_RANGE: ['2014-02-11', '2015-02-11'] }), {
    ok: true,
    params: {
      ACCT_ID: { type: 'text', value: '7' },
      PRODUCTS: { type: 'list', value: ['Team'] },
      DATE_RANGE_START: { type: 'date', value: '2014-02-11' },
      DATE_RANGE_END: { type: 'date', value: '2015-02-11' },
    },
  });
  assert.deepEqual(bindChartVariables(line, dashboard.variables, { ACCT_ID: '7' }), {
    ok: true,
    params: {
      ACCT_ID: { type: 'text', value: '7' },
      PRODUCTS: { type: 'list', value: null },
      DATE_RANGE_START: { type: 'date', value: null },
      DATE_RANGE_END: { type: 'date', value: null },
    },
  });
  assert.deepEqual(bindChartVariables(line, dashboard.variables, {}), {
    ok: false,
    message: 'This chart needs the Hidden Variable ACCT_ID, which the embed token does not set.',
  });
  assert.match((bindChartVariables(line, dashboard.variables, { ACCT_ID: '7', DATE_RANGE: '2014-02-11' }) as { message: string }).message, /must be two dates/);
  // An inherited name is not a value the token set.
  assert.equal(bindChartVariables(line, dashboard.variables, Object.create({ ACCT_ID: '7' })).ok, false);
  assert.deepEqual(['2016-02-29', '2015-02-29', '2015-2-1', '2015-13-01'].map(isIsoDate), [true, false, false, false]);
});
