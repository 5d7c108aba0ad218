/**
 * Rendering: escaping, chart HTML and canvas specs, formats, empty results and values of the
 * wrong type, error pages, and the binding of a token's env to a chart's parameters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bindChartVariables, isIsoDate } from '../../src/host/sources/bind-variables.js';
import { renderErrorPage } from '../../src/host/page/error-page.js';
import { escapeHtml, jsonForScript } from '../../src/host/page/html.js';
import { formatKeyed, formatValue, intlFormatOf } from '../../src/host/page/format-value.js';
import { parseDashboardDefinition, type ChartDefinition, type QueryResult } from '../../src/host/index.js';
import { renderChart } from '../../src/host/page/render-chart.js';
import { renderDashboardParts } from '../../src/host/page/render-page.js';

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
const [line, table] = dashboard.charts as [ChartDefinition, ChartDefinition];

/** Charts parsed from a dashboard file's `charts` list. */
function chartsOf<const T extends readonly object[]>(charts: T): { [K in keyof T]: ChartDefinition } {
  return [...parseDashboardDefinition({ id: 2, title: 'C', charts }, 'c.json').charts] as { [K in keyof T]: ChartDefinition };
}

test('escapeHtml and jsonForScript leave no way out of an element or a script block', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  const json = jsonForScript({ s: '</script><!-- \u2028' });
  assert.ok(!json.includes('<') && !json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), { s: '</script><!-- \u2028' });
});

test('a line chart becomes SVG drawn on the host and a data table: first column labels, one series per further column', () => {
  const rendered = renderChart({ chart: line, status: 'ok', result: { columns: ['month', 'a', 'b'], rows: [['2014-01', 1, '2.5'], ['2014-02', null, 3]], truncated: false } }, 3);
  assert.match(rendered.html, /<figure class="chart chart-line" id="chart-3" data-status="ok"><figcaption id="chart-3-title"><h2>Line &lt;x&gt;<\/h2><\/figcaption>/);
  assert.match(rendered.html, /<div class="chart-svg" role="img" tabindex="0" aria-label="Line &lt;x&gt; \(line chart; its data is in the data table below\)" data-series="\[&quot;a&quot;,&quot;b&quot;\]">/);
  // One drawing per width, each an SVG the page's CSP allows: no style attribute, no <style>.
  assert.equal(rendered.html.match(/<svg /g)?.length, 3);
  assert.doesNotMatch(rendered.html, / style="|<style/);
  // Every colour is the theme's (a custom property), so one drawing follows light and dark.
  assert.deepEqual([...new Set(rendered.html.match(/(?:fill|stroke)="(?!none|var\()[^"]*"/g) ?? [])].filter((paint) => !/#000|rgb\(0,0,0\)|#b7b9be/.test(paint)), []);
  assert.match(rendered.html, /<details class="chart-data"><summary>Data table<\/summary><div class="table-box"><table aria-labelledby="chart-3-title">/);
  assert.match(rendered.html, /<th scope="col">month<\/th><th scope="col" class="num">a<\/th>/);
  // An empty value shows a dash, and says it is empty (the page reports null for it, not the dash).
  assert.match(rendered.html, /<tr><td>2014-02<\/td><td class="num" data-null>—<\/td><td class="num" data-value="3" data-format="number">3<\/td><\/tr>/);
  // The points: series, data index, table row, x, y; the missing value of "a" has none.
  const points = /data-points="([^"]*)"/.exec(rendered.html)![1]!.split(';').map((point) => point.split(' ').slice(0, 3).join(' '));
  assert.deepEqual(points, ['0 0 0', '1 0 0', '1 1 1']);
  const single = renderChart({ chart: line, status: 'ok', result: { columns: ['only'], rows: [], truncated: false } }, 0);
  assert.match(single.html, /data-status="failed"[\s\S]*two columns or more/);
  assert.doesNotMatch(single.html, /<svg/);
});

test('a line or bar chart starts at zero unless it says beginAtZero: false; formatted labels keep their raw values', () => {
  const [bar] = chartsOf([{ title: 'B', type: 'bar', sql: 'SELECT 1', beginAtZero: false, formats: { day: 'date', total: { type: 'currency', currency: 'EUR' } } }]);
  const rendered = renderChart({ chart: bar, status: 'ok', result: { columns: ['day', 'total'], rows: [['2015-02-11', 12.5]], truncated: false } }, 0);
  // The date labels carry their raw values, for the page to re-format them for a locale.
  assert.match(rendered.html, /<text [^>]*data-value="2015-02-11" data-format="date:day">Feb 11, 2015<\/text>/);
  assert.deepEqual(rendered.formats.sort(), ['currency:EUR', 'date:day']);
  assert.match(rendered.html, /<td data-value="2015-02-11" data-format="date:day">Feb 11, 2015<\/td><td class="num" data-value="12.5" data-format="currency:EUR">€12.50<\/td>/);
});

test('a table escapes cells, right-aligns numeric columns and their headers, and notes a cut result', () => {
  const rendered = renderChart({ chart: table, status: 'ok', result: { columns: ['<c>', 'n'], rows: [['<b>', 1234.567], [null, null]], truncated: true } }, 0);
  // A table chart's headers are buttons that sort it (in the page).
  assert.match(rendered.html, /<th scope="col"><button type="button" class="sort">&lt;c&gt;<\/button><\/th><th scope="col" class="num"><button type="button" class="sort">n<\/button><\/th>/);
  // The first row is the table's one tab stop.
  assert.match(rendered.html, /<tr tabindex="0"><td>&lt;b&gt;<\/td><td class="num" data-value="1234.567" data-format="number">1,234.57<\/td><\/tr><tr><td data-null>—<\/td><td class="num" data-null>—<\/td><\/tr>/);
  assert.match(rendered.html, /<table aria-labelledby="chart-0-title">/);
  assert.match(rendered.html, /Showing the first 2 rows\./);
});

test('a chart that shows data ends with its download button when downloads are on; a number names its column', () => {
  const [number, empty] = chartsOf([
    { title: 'Orders', type: 'number', sql: 'SELECT 1' },
    { title: 'None', type: 'number', sql: 'SELECT 1' },
  ]);
  const shown = renderChart({ chart: number, status: 'ok', result: { columns: ['orders'], rows: [[1469]], truncated: false } }, 2, { download: true });
  assert.equal(
    shown.html,
    '<figure class="chart chart-number" id="chart-2" data-status="ok"><figcaption id="chart-2-title"><h2>Orders</h2></figcaption>' +
      '<p class="value" tabindex="0" data-column="orders" data-value="1469" data-format="number">1,469</p>' +
      '<p class="chart-actions"><button type="button" class="download" aria-describedby="chart-2-title">Download CSV</button><span role="status"></span></p></figure>',
  );
  assert.doesNotMatch(renderChart({ chart: number, status: 'ok', result: { columns: ['orders'], rows: [[1469]], truncated: false } }, 2).html, /download/, 'off unless asked');
  // Nothing to download from a chart that shows no data.
  for (const outcome of [
    { chart: empty, status: 'ok', result: { columns: ['orders'], rows: [], truncated: false } },
    { chart: empty, status: 'failed', message: 'x' },
    { chart: empty, status: 'unavailable', message: 'x' },
  ] as const) {
    assert.doesNotMatch(renderChart(outcome, 0, { download: true }).html, /download/, outcome.status);
  }
});

test('each format renders as specified, with its raw value and key on the element', () => {
  const [orders] = chartsOf([
    {
      title: 'Orders',
      type: 'table',
      sql: 'SELECT 1',
      formats: {
        order: 'id',
        amount: { type: 'currency', currency: 'USD' },
        yen: { type: 'currency', currency: 'JPY' },
        share: { type: 'percent', decimals: 1 },
        ratio: 'percent',
        price: { type: 'number', decimals: 2 },
        day: 'date',
        month: 'date',
        at: 'date',
      },
    },
  ]);
  const row = [2185, 6.4, 1500, 0.256, 0.5, 1234.5, '2015-02-11', '2014-01', '2015-02-11T15:04:05.000Z', 12345.678, 'text'];
  const columns = ['order', 'amount', 'yen', 'share', 'ratio', 'price', 'day', 'month', 'at', 'plain', 'note'];
  const { html, formats } = renderChart({ chart: orders, status: 'ok', result: { columns, rows: [row], truncated: false } }, 0);
  // ICU versions differ in the space before AM/PM (U+0020 or U+202F): compare spaces as spaces.
  const cells = [...html.matchAll(/<td([^>]*)>([^<]*)<\/td>/g)].map((match) => [match[2]!.replace(/\s/g, ' '), match[1]]);
  assert.deepEqual(cells, [
    ['2185', ' class="num" data-value="2185" data-format="id"'],
    ['$6.40', ' class="num" data-value="6.4" data-format="currency:USD"'],
    ['¥1,500', ' class="num" data-value="1500" data-format="currency:JPY"'],
    ['25.6%', ' class="num" data-value="0.256" data-format="percent:1"'],
    ['50%', ' class="num" data-value="0.5" data-format="percent"'],
    ['1,234.50', ' class="num" data-value="1234.5" data-format="number:2"'],
    ['Feb 11, 2015', ' data-value="2015-02-11" data-format="date:day"'],
    ['Jan 2014', ' data-value="2014-01" data-format="date:month"'],
    ['Feb 11, 2015, 3:04 PM', ' data-value="2015-02-11T15:04:05.000Z" data-format="date:time"'],
    ['12,345.68', ' class="num" data-value="12345.678" data-format="number"'],
    ['text', ''],
  ]);
  assert.deepEqual(formats.sort(), ['currency:JPY', 'currency:USD', 'date:day', 'date:month', 'date:time', 'id', 'number', 'number:2', 'percent', 'percent:1']);
  assert.match(html, /<th scope="col" class="num"><button type="button" class="sort">order<\/button><\/th><th scope="col" class="num"><button type="button" class="sort">amount<\/button><\/th>/);
  assert.match(html, /<th scope="col"><button type="button" class="sort">day<\/button><\/th>/);
});

test('formatValue: exact decimals as text, ids without separators, real dates only, and what was expected otherwise', () => {
  assert.deepEqual(formatValue('12345678901234567890.5', { type: 'number' }), { ok: true, text: '12,345,678,901,234,567,890.5', key: 'number', raw: '12345678901234567890.5' });
  assert.deepEqual(formatValue('123456789012345678901', { type: 'id' }), { ok: true, text: '123456789012345678901', key: 'id', raw: '123456789012345678901' });
  assert.deepEqual(formatValue(-1234.5, { type: 'currency', currency: 'EUR', decimals: 0 }, 'de-DE'), { ok: true, text: '-1.235\u00a0€', key: 'currency:EUR:0', raw: '-1234.5' });
  assert.deepEqual(formatValue(null, { type: 'currency', currency: 'USD' }), { ok: true, text: '—' });
  assert.deepEqual(formatValue(true, undefined), { ok: true, text: 'true' });
  assert.deepEqual(formatValue(2.5, { type: 'id' }), { ok: false, expected: 'a whole number' });
  assert.deepEqual(formatValue('n/a', { type: 'percent' }), { ok: false, expected: 'a number' });
  assert.deepEqual(formatValue(true, { type: 'number' }), { ok: false, expected: 'a number' });
  for (const notADate of ['2015-02-30', '2015-13', '2015-02-11T10:00:00', '11/02/2015', 20150211]) {
    assert.equal(formatValue(notADate, { type: 'date' }).ok, false, String(notADate));
  }
  assert.equal(formatKeyed('currency:USD', '1234.5', 'de-DE'), '1.234,50\u00a0$');
  assert.equal(formatKeyed('date:day', '2015-02-11', 'de-DE'), '11.02.2015');
  assert.deepEqual(intlFormatOf('date:month'), { kind: 'date', options: { year: 'numeric', month: 'short', timeZone: 'UTC' } });
});

test('an empty result says so on every chart type: no table, no canvas, no axes', () => {
  const [number, bar, grid] = chartsOf([
    { title: 'N', type: 'number', sql: 'SELECT 1' },
    { title: 'B', type: 'bar', sql: 'SELECT 1' },
    { title: 'T', type: 'table', sql: 'SELECT 1' },
  ]);
  const results: [ChartDefinition, QueryResult][] = [
    [number, { columns: ['n'], rows: [], truncated: false }],
    [number, { columns: ['n'], rows: [[null]], truncated: false }],
    [bar, { columns: ['label', 'v'], rows: [], truncated: false }],
    [bar, { columns: ['label', 'v', 'w'], rows: [['a', null, null]], truncated: false }],
    [grid, { columns: ['a'], rows: [], truncated: false }],
  ];
  for (const [chart, result] of results) {
    const rendered = renderChart({ chart, status: 'ok', result }, 0);
    assert.match(rendered.html, /data-status="empty"><figcaption id="chart-0-title"><h2>\w<\/h2><\/figcaption><p class="chart-empty" role="note">No data for these filters\.<\/p><\/figure>$/);
    assert.doesNotMatch(rendered.html, /<svg/);
  }
});

test('a column of the wrong type is reported on its chart, naming the column, not drawn', () => {
  const [bar, grid, number] = chartsOf([
    { title: 'B', type: 'bar', sql: 'SELECT 1' },
    { title: 'T', type: 'table', sql: 'SELECT 1', formats: { amount: { type: 'currency', currency: 'USD' } } },
    { title: 'N', type: 'number', sql: 'SELECT 1', formats: { day: 'date' } },
  ]);
  const cases: [ChartDefinition, QueryResult, RegExp][] = [
    [bar, { columns: ['product', 'revenue'], rows: [['a', 1], ['b', 'n/a']], truncated: false }, /the column "revenue" holds text \("n\/a"\) in row 2, where a number belongs\./],
    [bar, { columns: ['product', 'ok'], rows: [['a', true]], truncated: false }, /the column "ok" holds true in row 1, where a number belongs/],
    [grid, { columns: ['amount'], rows: [['<b>lots</b>']], truncated: false }, /the column "amount" holds text \("&lt;b&gt;lots&lt;\/b&gt;"\) in row 1, where a number belongs/],
    [grid, { columns: ['total'], rows: [[1]], truncated: false }, /a format for the column "amount", which its query does not return \(its columns: "total"\)/],
    [number, { columns: ['day'], rows: [[20150211]], truncated: false }, /the column "day" holds the number 20150211 in row 1, where a date/],
  ];
  for (const [chart, result, message] of cases) {
    const rendered = renderChart({ chart, status: 'ok', result }, 0);
    assert.match(rendered.html, /data-status="failed"[\s\S]*<p class="chart-message" role="note">This chart cannot be shown: /);
    assert.match(rendered.html.replaceAll('&quot;', '"'), message);
    assert.ok(!rendered.html.includes('<svg') && !rendered.html.includes('<table'));
    assert.doesNotMatch(rendered.html, /<svg/);
  }
});

test('the page carries the dictionary of every format key its charts use, and the locale it was rendered in', async () => {
  const [amounts, counts] = chartsOf([
    { title: 'A', type: 'number', sql: 'SELECT 1', formats: { a: { type: 'currency', currency: 'USD' } } },
    { title: 'C', type: 'line', sql: 'SELECT 1' },
  ]);
  const parts = await renderDashboardParts({ ...dashboard, charts: [amounts, counts] }, {
    charts: [
      { chart: amounts, status: 'ok', result: { columns: ['a'], rows: [[5]], truncated: false } },
      { chart: counts, status: 'ok', result: { columns: ['x', 'y'], rows: [['p', 1]], truncated: false } },
    ],
    queries: 2,
    failed: false,
  });
  const attributes = /<div class="charts" data-locale="en-US" data-formats="([^"]*)">/.exec(parts.main);
  assert.ok(attributes, parts.main);
  const dictionary = JSON.parse(attributes[1]!.replaceAll('&quot;', '"'));
  assert.deepEqual(dictionary, {
    'currency:USD': { kind: 'number', options: { style: 'currency', currency: 'USD' } },
    number: { kind: 'number', options: { maximumFractionDigits: 2 } },
  });
  assert.match(parts.main, /^<main><h1>T<\/h1>/, 'main opens bare: the data route and its tests find it as "<main>"');
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

test('each drawn type checks its columns, naming what it needs; a date label column gets a label per period, gaps included', () => {
  const [pie, combo, heatmap, scatter, line] = chartsOf([
    { title: 'P', type: 'pie', sql: 'SELECT 1' },
    { title: 'C', type: 'combo', lines: ['margin'], sql: 'SELECT 1' },
    { title: 'H', type: 'heatmap', sql: 'SELECT 1' },
    { title: 'S', type: 'scatter', sql: 'SELECT 1' },
    { title: 'L', type: 'line', formats: { month: 'date' }, sql: 'SELECT 1' },
  ]);
  const cases: [ChartDefinition, QueryResult, RegExp][] = [
    [pie, { columns: ['a', 'b', 'c'], rows: [['x', 1, 2]], truncated: false }, /needs 2 columns \(label, value\); its query returns 3\./],
    [combo, { columns: ['month', 'revenue'], rows: [['x', 1]], truncated: false }, /its "lines" names the column "margin", which is not one of its query's series \("revenue"\)\./],
    [heatmap, { columns: ['x', 'y'], rows: [['a', 'b']], truncated: false }, /needs 3 columns \(x, y, value\)/],
    [heatmap, { columns: ['x', 'y', 'v'], rows: [['a', 'b', 'lots']], truncated: false }, /the column "v" holds text \("lots"\) in row 1, where a number belongs/],
    [scatter, { columns: ['x', 'y', 's', 't'], rows: [[1, 2, 3, 4]], truncated: false }, /needs 2 or 3 columns \(x, y, size, the last optional\); its query returns 4\./],
  ];
  for (const [chart, result, message] of cases) {
    const rendered = renderChart({ chart, status: 'ok', result }, 0);
    assert.match(rendered.html, /data-status="failed"/);
    assert.match(rendered.html.replaceAll('&quot;', '"').replaceAll('&#39;', "'"), message);
  }
  // Months 2024-01, 2024-02 and 2024-04: the drawing has four labels, and three points.
  const gap = renderChart({ chart: line, status: 'ok', result: { columns: ['month', 'n'], rows: [['2024-01', 1], ['2024-02', 2], ['2024-04', 4]], truncated: false } }, 0);
  const widest = gap.html.slice(gap.html.indexOf('<div class="w2"'));
  assert.deepEqual([...widest.matchAll(/data-value="(2024-\d\d)" data-format="date:month">/g)].map((match) => match[1]).slice(0, 4), ['2024-01', '2024-02', '2024-03', '2024-04']);
  assert.deepEqual(/data-points="([^"]*)"/.exec(widest)![1]!.split(';').map((point) => point.split(' ').slice(0, 3).join(' ')), ['0 0 0', '0 1 1', '0 3 2']);
});

test('a chart is drawn only at the widths its box can reach in a frame up to 1,600 px; its widest drawing is marked to stay shown', () => {
  const [full, half, threeQuarters] = chartsOf([
    { title: 'Full', type: 'bar', sql: 'SELECT 1' },
    { title: 'Half', type: 'bar', sql: 'SELECT 1', width: 6 },
    { title: 'Two thirds', type: 'bar', sql: 'SELECT 1', width: 8 },
  ]);
  const result = { columns: ['x', 'y'], rows: [['a', 1], ['b', 2]], truncated: false };
  const drawings = (chart: ChartDefinition) => [...renderChart({ chart, status: 'ok', result }, 0).html.matchAll(/<div class="(w\d)"( data-widest)? data-points=/g)].map((match) => `${match[1]}${match[2] ? ' widest' : ''}`);
  assert.deepEqual(drawings(full), ['w0', 'w1', 'w2 widest']);
  // At most (1,600 − 32 − 11 × 12) / 2 + 60 − 26 = 752 px: the 900 px drawing would never show.
  assert.deepEqual(drawings(half), ['w0', 'w1 widest']);
  assert.deepEqual(drawings(threeQuarters), ['w0', 'w1', 'w2 widest']);
});
