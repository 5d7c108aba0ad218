/**
 * `chartio-embed dev --config host.json` in process, on a real DuckDB and real HTTP: the index
 * and the Embedding page name the dashboard's own variables; "view as" signs a token on the
 * server and shows the page; an edited file is live at the next view; a broken one is shown in
 * the terminal and on the index page while its last good version keeps serving; any address
 * but loopback is refused.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { devCommand } from '../../src/cli/dev-command.js';
import { runCli } from '../../src/cli/run.js';
import { recordingIo } from './helpers/host-command-fixtures.js';

let folder: string;
let config: string;
const dashboardFile = () => join(folder, 'dashboards', '1.json');
const dashboard = (title: string) => ({
  id: 1,
  title: 'Sales desk',
  variables: [
    { name: 'ACCT_ID', kind: 'integer', required: true, everywhere: true },
    { name: 'REGION_CODE', kind: 'text', required: false },
  ],
  charts: [{ title, type: 'number', sql: 'SELECT count(*) AS orders FROM orders WHERE account_id = $ACCT_ID AND ($REGION_CODE IS NULL OR region = $REGION_CODE)' }],
});

before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chartio-dev-'));
  await mkdir(join(folder, 'dashboards'));
  await writeFile(dashboardFile(), JSON.stringify(dashboard('Orders')));
  config = join(folder, 'host.json');
  const setup = ["CREATE TABLE orders AS SELECT 1 AS account_id, 'eu' AS region FROM range(3)"];
  await writeFile(config, JSON.stringify({ organization: 16417, dashboards: 'dashboards', dataSources: { demo: { type: 'duckdb', setup } }, port: 0, frameAncestors: [] }));
});
after(() => rm(folder, { recursive: true, force: true }));

/** An io whose output can be awaited: `next(pattern)` resolves with the first line written from now on that matches. */
function watchingIo() {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const io = {
    env: {},
    out: (text: string) => {
      lines.push(text);
      for (const waiter of [...waiting]) {
        if (waiter.pattern.test(text)) {
          waiting.splice(waiting.indexOf(waiter), 1);
          waiter.resolve(text);
        }
      }
    },
    err: (text: string) => void lines.push(text),
  };
  const next = (pattern: RegExp) => new Promise<string>((resolve) => waiting.push({ pattern, resolve }));
  return { io, lines, next };
}

test('dev: index, embedding page, view as, a live edit, a broken file and its last good version', async () => {
  const { io, lines, next } = watchingIo();
  const stop = new AbortController();
  const started = next(/on loopback only/);
  const running = devCommand(['--config', config], io, stop.signal);
  try {
    const url = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(await started)![1]!;
    assert.match(lines.join(''), /loaded 1 dashboard\n/);

    const index = await fetch(`${url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-security-policy')!, /default-src 'none'/);
    const indexHtml = await index.text();
    assert.match(indexHtml, /Sales desk/);
    assert.match(indexHtml, /<input name="ACCT_ID" value="1">/);
    assert.match(indexHtml, /<input name="REGION_CODE" value="">/);
    assert.doesNotMatch(indexHtml, /<script/);

    const embedding = await (await fetch(`${url}/_dev/embed/1`)).text();
    assert.match(embedding, /&quot;ACCT_ID&quot;: &quot;1&quot;/, 'the Python code carries the dashboard’s own variable');
    assert.doesNotMatch(embedding, /USER_ID/, 'not the original document’s example variables');
    for (const language of ['python', 'ruby', 'javascript', 'php']) assert.match(embedding, new RegExp(`<h2>${language}</h2>`));
    assert.match(embedding, new RegExp(`&lt;chartio-embed dashboard=&quot;1&quot; token-endpoint=&quot;/chartio-embed/token&quot; base-url=&quot;${url.replaceAll('.', '\\.')}/d/1&quot;\\n  filter-region-code=&quot;&quot;&gt;`));

    const view = async () => {
      const redirect = await fetch(`${url}/_dev/view/1?ACCT_ID=1&REGION_CODE=`, { redirect: 'manual' });
      assert.equal(redirect.status, 303);
      const page = await fetch(new URL(redirect.headers.get('location')!, url));
      assert.equal(page.status, 200);
      return page.text();
    };
    assert.match(await view(), /<h2>Orders<\/h2>[\s\S]*>3</);

    // A saved change: live at the next view.
    const edited = next(/reloaded/);
    await writeFile(dashboardFile(), JSON.stringify(dashboard('Orders this year')));
    await edited;
    assert.match(await view(), /<h2>Orders this year<\/h2>/);

    // A broken file: its message in the terminal and on the index; the last good version serves.
    const broken = next(/broken file/);
    await writeFile(dashboardFile(), JSON.stringify({ ...dashboard('Broken <b>'), charts: [{ title: 'Broken <b>', type: 'no-such-type', sql: 'SELECT 1 WHERE $ACCT_ID = 1' }] }));
    await broken;
    const said = lines.join('');
    assert.match(said, /1\.json: charts\[0\]\.type .*"no-such-type"/);
    const shown = await (await fetch(`${url}/`)).text();
    assert.match(shown, /role="alert">[^<]*1\.json: charts\[0\]\.type [^<]*&quot;no-such-type&quot;/);
    assert.match(await view(), /<h2>Orders this year<\/h2>/);
  } finally {
    stop.abort();
    assert.equal(await running, 0);
  }
  assert.match(lines.at(-1)!, /closed/);
});

test('dev refuses any address but loopback, and says why', async () => {
  const run = recordingIo({});
  assert.equal(await runCli(['dev', '--config', config, '--listen', '0.0.0.0'], run.io), 2);
  assert.match(run.err[0]!, /dev listens on loopback only \(127\.0\.0\.1, ::1 or localhost\), got --listen "0\.0\.0\.0"/);
});

test('snippet --config names the dashboard’s own variables and the host’s organization, not the document’s USER_ID', async () => {
  await writeFile(dashboardFile(), JSON.stringify(dashboard('Orders')));
  const run = recordingIo({});
  assert.equal(await runCli(['snippet', '--lang', 'python', '--config', config, '--dashboard', '1'], run.io), 0, run.err.join(''));
  const code = run.out.join('');
  assert.match(code, /"organization": 16417/);
  assert.match(code, /"ACCT_ID": "1",/);
  assert.doesNotMatch(code, /USER_ID|DATE_RANGE/);
  const missing = recordingIo({});
  assert.equal(await runCli(['snippet', '--lang', 'python', '--config', config, '--dashboard', '9'], missing.io), 2);
  assert.match(missing.err[0]!, /--dashboard 9 is not among the configuration's dashboards \(1\)/);
});
