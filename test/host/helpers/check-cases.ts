/**
 * The cases `chartio-embed check` must find on every database: a misspelt column (`amout`), a
 * wrong chart shape and a missing `everywhere` variable, each by name, beside a dashboard that is
 * fine. {@link checkCasesOn} runs them on one data source; each database's test file calls it
 * once with its own data source (DuckDB in test/host, PostgreSQL in test/postgres; another
 * database is one more call).
 * @module
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../../src/cli/run.js';
import { recordingIo } from './host-command-fixtures.js';

/** The table every case reads, in SQL all three databases take. */
export const CHECK_TABLE_SQL = 'CREATE TABLE orders (account_id INTEGER, amount DECIMAL(10, 2), status VARCHAR(20), ordered_on DATE)';

const ACCT = [{ name: 'ACCT_ID', kind: 'integer', required: true, everywhere: true }];
const where = 'FROM orders WHERE account_id = $ACCT_ID';

/** The dashboard files, by name. */
export const CHECK_DASHBOARDS: Readonly<Record<string, unknown>> = {
  'fine.json': {
    id: 1,
    title: 'Fine',
    variables: [...ACCT, { name: 'SINCE', kind: 'date_range', required: false }],
    charts: [
      { title: 'Revenue', type: 'number', sql: `SELECT sum(amount) AS revenue ${where}`, formats: { revenue: { type: 'currency', currency: 'USD' } } },
      // A parameter whose type only its binding tells (DuckDB binds such a statement late).
      { title: 'By status', type: 'bar', sql: `SELECT status, count(*) AS orders ${where} AND ($SINCE_START IS NULL OR ordered_on >= $SINCE_START) GROUP BY status` },
      { title: 'Orders', type: 'table', sql: `SELECT * ${where}` },
    ],
  },
  'misspelt.json': {
    id: 2,
    title: 'Misspelt',
    variables: ACCT,
    charts: [
      { title: 'Revenue', type: 'number', sql: `SELECT sum(amout) AS revenue ${where}` },
      { title: 'Amounts', type: 'table', sql: `SELECT status, amount ${where}`, formats: { amout: { type: 'currency', currency: 'USD' } } },
    ],
  },
  'shape.json': {
    id: 3,
    title: 'Shape',
    variables: ACCT,
    charts: [
      { title: 'Trend', type: 'line', sql: `SELECT sum(amount) AS total ${where}` },
      { title: 'Statuses', type: 'bar', sql: `SELECT ordered_on, status ${where}` },
    ],
  },
  'tenant.json': {
    id: 4,
    title: 'Tenant',
    variables: ACCT,
    charts: [{ title: 'Everyone', type: 'number', sql: 'SELECT count(*) AS orders FROM orders' }],
  },
};

/**
 * Registers the check tests for one database: `dataSource` is its host.json entry, made once the
 * database runs (with {@link CHECK_TABLE_SQL} applied).
 *
 * @example
 * checkCasesOn('DuckDB', async () => ({ type: 'duckdb', setup: [CHECK_TABLE_SQL] }));
 */
export function checkCasesOn(database: string, dataSource: () => Promise<Record<string, unknown>>): void {
  describe(`chartio-embed check on ${database}`, () => {
    let folder: string;
    let source: Record<string, unknown>;
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'chartio-check-'));
      source = await dataSource();
    });
    after(() => rm(folder, { recursive: true, force: true }));

    const run = async (files: Readonly<Record<string, unknown>>) => {
      const dashboards = await mkdtemp(join(folder, 'dashboards-'));
      await mkdir(dashboards, { recursive: true });
      for (const [name, content] of Object.entries(files)) await writeFile(join(dashboards, name), JSON.stringify(content));
      const config = join(dashboards, '..', `${Math.random().toString(36).slice(2)}.json`);
      await writeFile(config, JSON.stringify({ organization: 16417, dashboards, dataSources: { db: source }, frameAncestors: [] }));
      const recorded = recordingIo({});
      const code = await runCli(['check', '--config', config], recorded.io);
      return { code, lines: recorded.out.join('').trimEnd().split('\n'), err: recorded.err.join('') };
    };

    test('a clean folder: exit 0 and one line saying so', async () => {
      const { code, lines, err } = await run({ 'fine.json': CHECK_DASHBOARDS['fine.json'] });
      assert.equal(err, '');
      assert.equal(code, 0, lines.join('\n'));
      assert.match(lines.join('\n'), /^chartio-embed check: 1 dashboard file, 3 charts checked on db \(\w+\): no problem \(\d+\.\d\d s\)$/);
    });

    test('each problem is one line naming the file, the chart and the column; exit 1', async () => {
      const { code, lines } = await run(CHECK_DASHBOARDS);
      assert.equal(code, 1);
      const about = (file: string) => lines.filter((line) => line.includes(`${file}:`));
      assert.deepEqual(about('fine.json'), []);
      // The misspelt column: the database refuses the query, and a format names a column it does not return.
      const [query, format] = about('misspelt.json');
      assert.match(query!, /misspelt\.json: charts\[0\]\.sql \(chart "Revenue"\) cannot be prepared by the database.*["']amout["']/);
      assert.match(format!, /misspelt\.json: charts\[1\]\.sql \(chart "Amounts"\) formats\.amout names a column the query does not return \(it returns "status", "amount"\)/);
      // The wrong shapes: one column for a line chart, text as a bar chart's series.
      const [oneColumn, textSeries] = about('shape.json');
      assert.match(oneColumn!, /shape\.json: charts\[0\]\.sql \(chart "Trend"\) returns 1 column \("total"\); this chart needs a label column, then one numeric column per series/);
      assert.match(textSeries!, /shape\.json: charts\[1\]\.sql \(chart "Statuses"\) column "status" is a series, so it must hold numbers, but the query returns text/);
      // The missing everywhere variable, by name.
      assert.match(about('tenant.json').join('\n'), /tenant\.json: charts\[0\]\.sql \(chart "Everyone"\) does not use \$ACCT_ID, which variables\[0\] marks "everywhere"/);
      assert.equal(lines.length, 6, lines.join('\n'));
      assert.match(lines.at(-1)!, /^chartio-embed check: 5 problems in 4 dashboard files/);
    });
  });
}
