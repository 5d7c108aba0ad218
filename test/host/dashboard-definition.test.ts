/**
 * Dashboard files are checked at load, with errors naming the file and the field; the host's
 * own options are checked at construction. Also the `$NAME` finder the checks rely on.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  assertEveryChartFiltered,
  createDashboardHost,
  DashboardDefinitionError,
  findSqlParameters,
  loadDashboardFiles,
  parseDashboardDefinition,
  type DataSource,
} from '../../src/host/index.js';
import { EmbedError } from '../../src/server/errors.js';
import { DEMO_DASHBOARDS, openDemoDatabase, ORGANIZATION, SECRET } from './helpers/host-fixtures.js';

const valid = () => ({
  id: 7,
  title: 'Valid',
  variables: [
    { name: 'ACCT_ID', kind: 'text', required: true },
    { name: 'DATE_RANGE', kind: 'date_range', required: false },
    { name: 'PRODUCTS', kind: 'list' },
  ],
  charts: [{ title: 'Orders', type: 'number', sql: 'SELECT count(*) FROM orders WHERE account_id = $ACCT_ID AND d >= $DATE_RANGE_START' }],
});

/** Asserts that `mutate(valid())` fails naming `field`, with `problem` in the message. */
function assertInvalid(mutate: (definition: any) => unknown, field: string, problem: RegExp): void {
  const definition = valid();
  mutate(definition);
  assert.throws(
    () => parseDashboardDefinition(definition, 'dashboards/7.json'),
    (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError);
      assert.equal(error.source, 'dashboards/7.json');
      assert.equal(error.field, field);
      assert.ok(error.message.startsWith(`dashboards/7.json: ${field}`), error.message);
      assert.match(error.message, problem);
      return true;
    },
  );
}

describe('parseDashboardDefinition', () => {
  test('a valid definition keeps its fields and learns which variables each chart uses', () => {
    const dashboard = parseDashboardDefinition(valid(), 'dashboards/7.json');
    assert.equal(dashboard.id, 7);
    assert.deepEqual(dashboard.charts[0]!.variables, ['ACCT_ID', 'DATE_RANGE']);
    assert.equal(dashboard.charts[0]!.maxRows, 1);
    assert.deepEqual(dashboard.variables[2], { name: 'PRODUCTS', kind: 'list', required: false });
  });

  test('each broken field is named', () => {
    assertInvalid((d) => delete d.id, 'id', /positive integer.*got nothing/);
    assertInvalid((d) => (d.id = '7'), 'id', /positive integer/);
    assertInvalid((d) => (d.title = ''), 'title', /non-empty/);
    assertInvalid((d) => (d.colour = 'red'), 'colour', /not a known field/);
    assertInvalid((d) => (d.variables = {}), 'variables', /must be a list/);
    assertInvalid((d) => (d.variables[0].name = 'acct_id'), 'variables[0].name', /upper snake case/);
    assertInvalid((d) => (d.variables[1].kind = 'daterange'), 'variables[1].kind', /one of text, integer, list, integer_list, date_range/);
    assertInvalid((d) => (d.variables[0].required = 'yes'), 'variables[0].required', /true or false/);
    assertInvalid((d) => d.variables.push({ name: 'ACCT_ID', kind: 'text' }), 'variables[3].name', /repeats "ACCT_ID"/);
    assertInvalid((d) => d.variables.push({ name: 'DATE_RANGE_START', kind: 'text' }), 'variables[3].name', /already binds/);
    assertInvalid((d) => (d.charts = []), 'charts', /non-empty list/);
    assertInvalid((d) => (d.charts[0].type = 'gauge'), 'charts[0].type', /one of number, line, area, bar, combo, pie, donut, scatter, funnel, heatmap, table, pivot, text, got "gauge"/);
    assertInvalid((d) => (d.charts[0].sql = ' '), 'charts[0].sql', /non-empty SQL/);
    assertInvalid((d) => (d.charts[0].maxRows = 0), 'charts[0].maxRows', /from 1 to 10000/);
    assertInvalid((d) => (d.charts[0].query = 'x'), 'charts[0].query', /not a known field/);
    assertInvalid((d) => (d.charts[0].sql = 'SELECT $USER_ID'), 'charts[0].sql', /uses \$USER_ID, which no declared Hidden Variable binds/);
    assertInvalid((d) => (d.charts[0].sql = 'SELECT * FROM t WHERE d >= $DATE_RANGE'), 'charts[0].sql', /\$DATE_RANGE_START, \$DATE_RANGE_END/);
    assert.throws(() => parseDashboardDefinition([], 'x.json'), /^DashboardDefinitionError: x\.json: must be an object/);
  });

  test('formats and beginAtZero are checked field by field', () => {
    const formats = (value: unknown) => (d: any) => (d.charts[0].formats = value);
    assertInvalid(formats([]), 'charts[0].formats', /must be an object from column name to format/);
    assertInvalid(formats({ amount: 'money' }), 'charts[0].formats.amount.type', /\(chart "Orders"\) must be one of number, id, currency, percent, date, got "money"/);
    assertInvalid(formats({ amount: 'currency' }), 'charts[0].formats.amount', /needs a currency code: write \{ "type": "currency", "currency": "USD" \}/);
    assertInvalid(formats({ amount: { type: 'currency', currency: 'usd' } }), 'charts[0].formats.amount.currency', /ISO 4217 currency code in capitals/);
    assertInvalid(formats({ amount: { type: 'currency', currency: 'XYZ' } }), 'charts[0].formats.amount.currency', /got "XYZ"/);
    assertInvalid(formats({ amount: { type: 'number', decimals: 11 } }), 'charts[0].formats.amount.decimals', /integer from 0 to 10, got 11/);
    assertInvalid(formats({ amount: { type: 'number', decimals: 1.5 } }), 'charts[0].formats.amount.decimals', /integer from 0 to 10/);
    assertInvalid(formats({ order: { type: 'id', decimals: 0 } }), 'charts[0].formats.order.decimals', /not a known field of a id format \(known: type\)/);
    assertInvalid(formats({ '': 'id' }), 'charts[0].formats.', /names no column/);
    assertInvalid((d) => (d.charts[0].beginAtZero = false), 'charts[0].beginAtZero', /applies to line, area, bar, combo and scatter charts only, not to a number chart/);
    assertInvalid((d) => Object.assign(d.charts[0], { type: 'bar', orientation: 'sideways' }), 'charts[0].orientation', /must be "vertical" or "horizontal", got "sideways"/);
    assertInvalid((d) => Object.assign(d.charts[0], { type: 'line', stacked: true }), 'charts[0].stacked', /applies to area and bar charts only, not to a line chart/);
    assertInvalid((d) => Object.assign(d.charts[0], { type: 'combo', lines: 'margin' }), 'charts[0].lines', /must be a non-empty list of column names/);
    assertInvalid((d) => Object.assign(d.charts[0], { type: 'line', beginAtZero: 'no' }), 'charts[0].beginAtZero', /must be true or false, got "no"/);

    const definition: any = valid();
    Object.assign(definition.charts[0], { type: 'bar', formats: { order: 'id', amount: { type: 'currency', currency: 'EUR', decimals: 0 }, share: 'percent' } });
    const [chart] = parseDashboardDefinition(definition, '7.json').charts;
    assert.deepEqual(chart!.formats, { order: { type: 'id' }, amount: { type: 'currency', currency: 'EUR', decimals: 0 }, share: { type: 'percent' } });
    assert.equal(chart!.beginAtZero, true, 'line and bar charts start at zero by default');
  });

  test('a chart whose SQL lacks an "everywhere" variable is refused, naming the chart', () => {
    const tenant = (d: any) => (d.variables[0].everywhere = true);
    const forgotten = (d: any) => {
      tenant(d);
      d.charts.push({ title: 'All orders', type: 'number', sql: 'SELECT count(*) FROM orders -- $ACCT_ID is only in a comment' });
    };
    assertInvalid(forgotten, 'charts[1].sql', /^dashboards\/7\.json: charts\[1\]\.sql \(chart "All orders"\) does not use \$ACCT_ID, which variables\[0\] marks "everywhere": every chart must filter its rows by ACCT_ID/);
    // A misspelt tenant variable is named as the undeclared parameter it is.
    const misspelt = (d: any) => {
      tenant(d);
      d.charts.push({ title: 'Typo', type: 'number', sql: 'SELECT count(*) FROM orders WHERE account_id = $ACCTID' });
    };
    assertInvalid(misspelt, 'charts[1].sql', /charts\[1\]\.sql \(chart "Typo"\) uses \$ACCTID, which no declared Hidden Variable binds/);
    // A date range marked everywhere needs both of its parameters.
    assertInvalid((d) => Object.assign(d.variables[1], { everywhere: true, required: true }), 'charts[0].sql', /does not use \$DATE_RANGE_END, which variables\[1\] marks "everywhere"/);
    assertInvalid((d) => Object.assign(d.variables[0], { everywhere: true, required: false }), 'variables[0].required', /must be true for a variable marked "everywhere"/);
    assertInvalid((d) => (d.variables[0].everywhere = 'yes'), 'variables[0].everywhere', /true or false/);

    const definition: any = valid();
    definition.variables[2] = { name: 'PRODUCTS', kind: 'list', everywhere: true };
    definition.charts[0].sql += ' AND product = ANY($PRODUCTS)';
    const parsed = parseDashboardDefinition(definition, '7.json');
    assert.deepEqual(parsed.variables[2], { name: 'PRODUCTS', kind: 'list', required: true, everywhere: true }, 'everywhere implies required');

    // A definition changed in code is held to the same rule.
    assert.doesNotThrow(() => assertEveryChartFiltered(parsed));
    const widened = { ...parsed, charts: [...parsed.charts, { ...parsed.charts[0]!, title: 'Every product', sql: 'SELECT count(*) FROM orders WHERE account_id = $ACCT_ID' }] };
    assert.throws(() => assertEveryChartFiltered(widened), (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError);
      assert.equal(error.field, 'charts[1].sql');
      assert.match(error.message, /^7\.json: charts\[1\]\.sql \(chart "Every product"\) does not use \$PRODUCTS, which variables\[2\] marks "everywhere"/);
      return true;
    });
  });

  test('the demo dashboards are valid, and every chart of theirs filters by ACCT_ID', async () => {
    const dashboards = await loadDashboardFiles(DEMO_DASHBOARDS);
    assert.deepEqual(dashboards.map((d) => d.id), [38727, 38728, 38729]);
    assert.deepEqual(dashboards[0]!.charts.map((c) => c.type), ['number', 'number', 'number', 'line', 'bar', 'table']);
    for (const dashboard of dashboards) {
      assert.deepEqual(dashboard.variables.filter((variable) => variable.everywhere).map((variable) => variable.name), ['ACCT_ID']);
      // Every chart that runs a query (a text chart runs none).
      for (const chart of dashboard.charts.filter((chart) => chart.type !== 'text')) assert.ok(chart.variables.includes('ACCT_ID'), chart.title);
    }
  });
});

describe('loadDashboardFiles', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'chartio-dashboards-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  test('invalid JSON, duplicate ids and empty folders are named', async () => {
    const empty = join(folder, 'empty');
    await mkdir(empty);
    await assert.rejects(loadDashboardFiles(empty), /empty: holds no \*\.json dashboard files/);
    await assert.rejects(loadDashboardFiles(join(folder, 'missing')), /missing: cannot be listed as a folder/);

    const broken = join(folder, 'broken.json');
    await writeFile(broken, '{ "id": 1, ');
    await assert.rejects(loadDashboardFiles([broken]), (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError);
      assert.equal(error.source, broken);
      assert.match(error.message, /is not valid JSON/);
      return true;
    });

    const a = join(folder, 'a.json');
    const b = join(folder, 'b.json');
    await writeFile(a, JSON.stringify(valid()));
    await writeFile(b, JSON.stringify(valid()));
    await assert.rejects(loadDashboardFiles([a, b]), new RegExp(`${b}: id 7 is already used by ${a}`));
  });

  test('a demo dashboard whose one chart forgot the tenant filter stops the load, naming the file and the chart', async () => {
    const tenantFree = join(folder, 'tenant-free');
    await mkdir(tenantFree);
    for (const name of ['38727.json', '38728.json']) {
      const definition = JSON.parse(await readFile(join(DEMO_DASHBOARDS, name), 'utf8'));
      if (name === '38728.json') definition.charts[2].sql = 'SELECT u.name AS customer, count(*) AS orders FROM orders o JOIN users u USING (user_id) GROUP BY 1';
      await writeFile(join(tenantFree, name), JSON.stringify(definition));
    }
    await assert.rejects(loadDashboardFiles(tenantFree), (error: unknown) => {
      assert.ok(error instanceof DashboardDefinitionError);
      assert.equal(error.source, join(tenantFree, '38728.json'));
      assert.equal(error.field, 'charts[2].sql');
      assert.match(error.message, /\(chart "Top customers"\) does not use \$ACCT_ID/);
      return true;
    });
  });

  test('invalid JSON is located by line and column', async () => {
    const broken = join(folder, 'trailing-comma.json');
    await writeFile(broken, '{\n  "id": 1,\n}\n');
    await assert.rejects(loadDashboardFiles([broken]), /trailing-comma\.json: is not valid JSON at line 3, column 1: /);
  });
});

describe('findSqlParameters', () => {
  test('finds $NAME parameters, not text in strings, identifiers, comments or dollar quotes', () => {
    const sql = `SELECT '$A', "$B", $$ $C $$, $tag$ $D $tag$, E'it''s $E', $F -- $G
      /* $H */ FROM t WHERE x = $ACCT_ID AND y >= $DATE_RANGE_START AND z = $1 AND w = ? AND v = $F`;
    assert.deepEqual(findSqlParameters(sql), ['F', 'ACCT_ID', 'DATE_RANGE_START']);
    assert.deepEqual(findSqlParameters("SELECT 'unterminated $X"), []);
  });

  test('reads comments, strings and names where DuckDB and PostgreSQL end them (each case one the databases read so)', () => {
    const cases: [string, string[]][] = [
      // Block comments nest: the filter is still inside the outer comment.
      ['SELECT count(*) AS n FROM orders /* /* */ WHERE account_id = $ACCT_ID */', []],
      ['SELECT 1 /* a /* b */ c */, $ACCT_ID', ['ACCT_ID']],
      // A backslash escapes a quote in an E'' string only.
      ["SELECT E'it\\' s $ACCT_ID ' AS s FROM orders", []],
      ["SELECT E'a\\\\' AS s, $ACCT_ID", ['ACCT_ID']],
      ["SELECT 'a\\' AS s, $ACCT_ID", ['ACCT_ID']],
      // `--` inside a string is text; a comment ends at a carriage return too.
      ["SELECT '-- x' AS s, $ACCT_ID", ['ACCT_ID']],
      ['SELECT 1 AS a -- c\r, $ACCT_ID AS b', ['ACCT_ID']],
      // Dollar quotes, tagged or not, and a tag that looks like the parameter.
      ['SELECT $$ x $ACCT_ID $$ AS s', []],
      ['SELECT $ACCT_ID$ x $ACCT_ID$ AS s', []],
      ['SELECT $a$ x $ab$ y $a$ AS s, $ACCT_ID', ['ACCT_ID']],
      // A `$` inside a name or a number belongs to it.
      ['SELECT count(*) FROM orders o$ACCT_ID', []],
      ['SELECT 1e$ACCT_ID', []],
      // Quoted identifiers and string literals hold text; a cast follows the parameter.
      ['SELECT count(*) AS "x$ACCT_ID" FROM orders', []],
      ["SELECT '..$ACCT_ID..' AS s", []],
      ['SELECT $ACCT_ID::int AS s', ['ACCT_ID']],
      // Names beyond ASCII are names to both databases (and then undeclared here).
      ['SELECT $ÄCCT', ['ÄCCT']],
    ];
    for (const [sql, expected] of cases) assert.deepEqual(findSqlParameters(sql), expected, sql);
  });

  test('a positional parameter is refused at load, naming it', () => {
    assertInvalid((d) => (d.charts[0].sql += ' OR $1::bigint IS NOT NULL'), 'charts[0].sql', /\(chart "Orders"\) uses \$1: a positional parameter is not allowed/);
    const definition: any = valid();
    definition.charts[0].sql += " AND note <> '$1' -- $2";
    assert.doesNotThrow(() => parseDashboardDefinition(definition, '7.json'), 'text in strings and comments is not a parameter');
  });
});

describe('createDashboardHost options', () => {
  let database: DataSource;
  before(async () => {
    database = await openDemoDatabase();
  });
  after(() => database.close());
  const dashboards = [parseDashboardDefinition(valid(), '7.json')];
  const base = () => ({ organization: ORGANIZATION, secret: SECRET, dashboards, database, frameAncestors: ['https://app.example.com'] });

  test('a short secret is refused without echoing it', () => {
    assert.throws(
      () => createDashboardHost({ ...base(), secret: 'short-secret' }),
      (error: unknown) => error instanceof EmbedError && error.code === 'secret_too_short' && !error.message.includes('short-secret'),
    );
  });

  test('frame ancestors and parent origins must be origins; "*" is never accepted', () => {
    for (const entry of ['*', 'https://app.example.com/page', "https://a.com; script-src 'unsafe-inline'", 'javascript:alert(1)', 'app.example.com']) {
      assert.throws(() => createDashboardHost({ ...base(), frameAncestors: [entry] }), /frameAncestors: .* is not an origin/, entry);
    }
    assert.throws(() => createDashboardHost({ ...base(), parentOrigins: ['*'] }), /parentOrigins: "\*" is not an exact origin/);
    assert.throws(() => createDashboardHost({ ...base(), frameAncestors: ['https://*.example.com'], parentOrigins: ['https://*.example.com'] }), /parentOrigins/);
    assert.equal(typeof createDashboardHost({ ...base(), frameAncestors: ["'self'", 'https://*.example.com', 'http://127.0.0.1:8080'] }), 'function');
  });

  test('two dashboards with one id, no dashboards, or no database are refused', () => {
    assert.throws(() => createDashboardHost({ ...base(), dashboards: [...dashboards, ...dashboards] }), /7\.json: id 7 is already used by 7\.json/);
    assert.throws(() => createDashboardHost({ ...base(), dashboards: [] }), /dashboards must be a non-empty list/);
    assert.throws(() => createDashboardHost({ ...base(), database: {} as DataSource }), /database must be a DataSource/);
    assert.throws(() => createDashboardHost({ ...base(), basePath: '/dash/' }), /basePath must look like "\/dash"/);
    assert.throws(() => createDashboardHost({ ...base(), cache: { maxEntries: 0 } }), /cache\.maxEntries must be a positive integer/);
  });

  test('several named data sources: each dashboard names its own, or uses the only one', async () => {
    const named = (id: number, dataSource?: string) => parseDashboardDefinition({ ...valid(), id, ...(dataSource ? { dataSource } : {}) }, `${id}.json`);
    const other = await openDemoDatabase();
    try {
      const host = createDashboardHost({ ...base(), database: undefined, dataSources: { main: database, spare: other }, dashboards: [named(1, 'main'), named(2, 'spare')] });
      assert.equal(typeof host, 'function');
      await host.close();
      assert.throws(
        () => createDashboardHost({ ...base(), database: undefined, dataSources: { main: database, spare: other }, dashboards: [named(1)] }),
        /1\.json: dataSource is required, since the host has several data sources \(main, spare\)/,
      );
      assert.throws(
        () => createDashboardHost({ ...base(), database: undefined, dataSources: { main: database }, dashboards: [named(1, 'warehouse')] }),
        /1\.json: dataSource "warehouse" is not one of the host's data sources \(main\)/,
      );
      assert.throws(() => createDashboardHost({ ...base(), dataSources: { main: database } }), /either database .* or dataSources/);
      assert.throws(() => createDashboardHost({ ...base(), database: undefined, dataSources: {} }), /dataSources must name at least one/);
      assert.throws(() => createDashboardHost({ ...base(), database: undefined, dataSources: { 'no good': database } }), /"no good" is not a name/);
      assert.throws(() => parseDashboardDefinition({ ...valid(), dataSource: 'a b' }, 'x.json'), /x\.json: dataSource must name one of the host's data sources/);
    } finally {
      await other.close();
    }
  });
});
