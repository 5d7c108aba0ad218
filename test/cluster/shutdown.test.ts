/**
 * `chartio-embed host` (the built CLI, a real process) on a real PostgreSQL: SIGTERM stops
 * accepting, lets the page under way finish, and exits 0; a query that would never finish is
 * cancelled on the server and the process still exits 0 within its shutdown bound.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { loadDemoDatasetIntoPostgres } from '../../demo/dataset/postgres-dataset.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { manualClock, SECRET, signToken } from '../host/helpers/host-fixtures.js';
import { closeGate, gatedDashboardJson } from './gate.js';
import { startHostProcess } from './support.js';

const GATED = 50_100;
let postgres: PostgresServer;
let folder: string;
const clock = manualClock(Date.now());

before(async () => {
  postgres = await startPostgres();
  await loadDemoDatasetIntoPostgres(postgres.url);
  folder = await mkdtemp(join(tmpdir(), 'chartio-shutdown-'));
  await mkdir(join(folder, 'dashboards'));
  await writeFile(join(folder, 'dashboards', 'gated.json'), JSON.stringify(gatedDashboardJson(GATED)));
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
  await postgres?.stop();
});

const config = (shutdownTimeoutMs: number) => ({
  organization: 16417,
  dashboards: 'dashboards',
  dataSources: { warehouse: { type: 'postgres', url: postgres.url, connections: 2 } },
  port: 0,
  frameAncestors: [],
  shutdownTimeoutMs,
});

async function activeQueries(): Promise<number> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'chartio-embed host' AND state = 'active'");
    return rows[0].n;
  } finally {
    await client.end();
  }
}

test('SIGTERM: no new connections, the page under way finishes, exit 0', async () => {
  const gate = await closeGate(postgres.url);
  const host = await startHostProcess(folder, 'graceful', config(30_000), SECRET);
  try {
    const token = await signToken(clock, { dashboard: GATED, env: { ACCT_ID: '1' } });
    const page = fetch(`${host.url}/d/${GATED}/?embed_token=${token}`).then(async (response) => ({ status: response.status, text: await response.text() }));
    await gate.waiting(1);
    const exit = host.terminate();
    // Once it stops listening, a new connection is refused, while the page's stays open.
    let refused = false;
    while (!refused) refused = await fetch(`${host.url}/healthz`).then(() => false, () => true);
    await gate.open();
    const answer = await page;
    assert.equal(answer.status, 200);
    assert.match(answer.text, /<h2>Completed orders<\/h2><\/figcaption><p class="value"[^>]*>[1-9]/, 'the page under way was finished');
    assert.equal(await exit, 0);
    assert.match(host.output(), /SIGTERM: finishing the requests under way, then closing[\s\S]*closed/);
  } finally {
    await gate.end();
    if (host.child.exitCode === null) await host.kill();
  }
});

test('SIGTERM with a query that would never end: cancelled on the server, exit 0 within the bound', async () => {
  const gate = await closeGate(postgres.url);
  const host = await startHostProcess(folder, 'bounded', config(1_000), SECRET);
  try {
    const token = await signToken(clock, { dashboard: GATED, env: { ACCT_ID: '2' } });
    const page = fetch(`${host.url}/d/${GATED}/?embed_token=${token}`).then((response) => response.text()).catch(() => 'cut');
    await gate.waiting(1);
    const started = performance.now();
    assert.equal(await host.terminate(), 0);
    // Generous on a loaded machine; what matters is that it ends at all with the gate still shut.
    assert.ok(performance.now() - started < 30_000);
    await page;
    assert.equal(await activeQueries(), 0, 'the query was cancelled on the server, not left waiting');
  } finally {
    await gate.end();
    if (host.child.exitCode === null) await host.kill();
  }
});
