/**
 * The production host on real parts, all on loopback: PostgreSQL with the demo dataset, Redis,
 * three hosts started by `chartio-embed host` (the built CLI, separate processes), haproxy
 * round-robin in front, an app with its token endpoint, and `<chartio-embed>` in Chromium loading
 * dashboards through the balancer. One host is killed in the middle of a run, later Redis is
 * killed: every dashboard still shows, with the numbers independent SQL gives, and no 5xx.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile, copyFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { loadDemoDatasetIntoPostgres } from '../../demo/dataset/postgres-dataset.js';
import { createEmbedSigner, createTokenHandler, toNodeHandler } from '../../src/server/index.js';
import { startPostgres, type PostgresServer } from '../launchers/postgres-server.js';
import { startRedis, type RedisServer } from '../launchers/redis-server.js';
import { startHaproxy, type HaproxyServer } from '../launchers/haproxy-server.js';
import { DEMO_DASHBOARDS, SECRET } from '../host/helpers/host-fixtures.js';
import { closeGate, gatedDashboardJson } from './gate.js';
import { appPage, startHostProcess, type HostProcess } from './support.js';
import { listenLocal } from '../launchers/listen-local.js';

const ORGANIZATION = 16417;
const OVERVIEW = 38727;
const GATED = 50_100;
const ACCOUNT = '1';

let postgres: PostgresServer;
let redis: RedisServer;
let balancer: HaproxyServer;
let hosts: HostProcess[] = [];
let app: Server;
let appUrl = '';
let browser: Browser;
let page: Page;
let folder: string;
let sql: pg.Client;
/** Every answer the browser got from the balancer. */
const statuses: { url: string; status: number }[] = [];

before(async () => {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or `sudo apt-get install -y chromium`.');
  folder = await mkdtemp(join(tmpdir(), 'chartio-cluster-'));
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  await loadDemoDatasetIntoPostgres(postgres.url);
  sql = new pg.Client({ connectionString: postgres.url });
  await sql.connect();

  // The dashboards: the demo's two, and one that waits at a gate the test holds.
  const dashboards = join(folder, 'dashboards');
  await mkdir(dashboards);
  for (const name of await readdir(DEMO_DASHBOARDS)) await copyFile(join(DEMO_DASHBOARDS, name), join(dashboards, name));
  await writeFile(join(dashboards, 'gated.json'), JSON.stringify(gatedDashboardJson(GATED)));

  // The app listens first: its origin is the hosts' frame ancestor.
  app = createServer();
  appUrl = (await listenLocal(app)).origin;

  const config = {
    organization: ORGANIZATION,
    dashboards: 'dashboards',
    dataSources: { warehouse: { type: 'postgres', url: postgres.url, connections: 4 } },
    redis: { url: redis.url, lockTtlMs: 3_000, commandTimeoutMs: 2_000 },
    // This file is about one run per token across instances, not the wait bound
    // (test/host/queue.test.ts): on a loaded 2-core CI machine a run can take seconds.
    queue: { maxWaitMs: 60_000 },
    port: 0,
    frameAncestors: [appUrl],
    statsRoute: true,
    shutdownTimeoutMs: 5_000,
  };
  hosts = await Promise.all(['a', 'b', 'c'].map((name) => startHostProcess(folder, name, config, SECRET)));
  balancer = await startHaproxy(hosts.map((host) => host.port));

  // Tokens depend only on the dashboard and filters (a fixed clock): the test can ask for the
  // very token the browser will get.
  const now = Date.now();
  const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, ttl: 3_600, baseUrl: `${balancer.url}/d/{dashboard}`, now: () => now });
  const tokens = toNodeHandler(createTokenHandler({ signer, dashboards: [OVERVIEW, GATED], filters: ['DATE_RANGE', 'USER_ID'], lockedEnv: () => ({ ACCT_ID: ACCOUNT }) }));
  app.on(
    'request',
    await appPage(
      (req, res) => tokens(req, res),
      `<chartio-embed id="embed" dashboard="${OVERVIEW}" token-endpoint="/embed-token" title="Dashboard" style="--chartio-embed-height: 900px"></chartio-embed>
<script type="module">window.loads = 0; document.getElementById('embed').addEventListener('chartio-load', () => window.loads++);</script>`,
    ),
  );

  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  page.on('response', (response) => {
    if (response.url().startsWith(balancer.url)) statuses.push({ url: response.url(), status: response.status() });
  });
});

after(async () => {
  await browser?.close();
  await balancer?.stop();
  await Promise.all(hosts.map((host) => (host.child.exitCode === null && host.child.signalCode === null ? host.terminate() : undefined)));
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  await sql?.end();
  await redis?.stop();
  await postgres?.stop();
  await rm(folder, { recursive: true, force: true });
});

/**
 * Runs `action` and resolves to the frame the element shows once its next `chartio-load` fired: a
 * new one, or the same one showing the new filters in place (its page names the new token).
 */
async function loadAfter(action: () => Promise<unknown>): Promise<Frame> {
  const loads = () => page.evaluate(() => (window as unknown as { loads?: number }).loads ?? 0);
  const before = await loads();
  await action();
  await page.waitForFunction((count) => ((window as unknown as { loads?: number }).loads ?? 0) > count, before);
  // Playwright's CSS selectors pierce the element's shadow root.
  const frame = await (await page.$('#embed iframe:not(.next)'))?.contentFrame();
  if (!frame) throw new Error('no dashboard frame on show');
  return frame;
}

/** The "Completed orders" figure a dashboard frame displays. */
async function shownCompletedOrders(frame: Frame): Promise<string> {
  return frame.locator('figure.chart-number', { has: frame.locator('h2', { hasText: 'Completed orders' }) }).locator('.value').innerText();
}

/** The same figure from SQL written here, straight against PostgreSQL. */
async function expectedCompletedOrders(where = ''): Promise<string> {
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM orders WHERE account_id = ${ACCOUNT} AND status = 'completed' ${where}`);
  return new Intl.NumberFormat('en-US').format(rows[0].n);
}

/** Counters summed over every live host, from their own /stats. */
async function totals(): Promise<{ queryRuns: number; awaitedRuns: number }> {
  const live = hosts.filter((host) => host.child.exitCode === null && host.child.signalCode === null);
  const stats = await Promise.all(live.map(async (host) => (await (await fetch(`${host.url}/stats`)).json()) as { queryRuns: number; awaitedRuns: number }));
  return stats.reduce((sum, s) => ({ queryRuns: sum.queryRuns + s.queryRuns, awaitedRuns: sum.awaitedRuns + s.awaitedRuns }), { queryRuns: 0, awaitedRuns: 0 });
}

async function totalQueryRuns(): Promise<number> {
  return (await totals()).queryRuns;
}

/** The token the app's endpoint gives for a dashboard and filters (the browser gets the same). */
async function tokenFor(dashboard: number, filters: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${appUrl}/embed-token`, { method: 'POST', headers: { 'content-type': 'application/json', origin: appUrl }, body: JSON.stringify({ dashboard, filters }) });
  assert.equal(response.status, 200);
  return (await response.json()).token;
}

test('the element loads a dashboard through the balancer, with the database’s numbers', async () => {
  const first = await loadAfter(() => page.goto(appUrl));
  assert.equal(await shownCompletedOrders(first), await expectedCompletedOrders());
  const filtered = await loadAfter(() => page.evaluate(() => document.getElementById('embed')!.setAttribute('filter-date-range', '["2015-01-01","2015-06-30"]')));
  assert.equal(await shownCompletedOrders(filtered), await expectedCompletedOrders("AND ordered_on BETWEEN DATE '2015-01-01' AND DATE '2015-06-30'"));
});

test('200 concurrent first requests for 20 tokens, spread over three instances, make exactly 20 runs', async () => {
  const before = await totalQueryRuns();
  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => tokenFor(OVERVIEW, { USER_ID: String(1000 + i) })));
  const answers = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const response = await fetch(`${balancer.url}/d/${OVERVIEW}/?embed_token=${tokens[i % 20]}`);
      return { status: response.status, text: await response.text() };
    }),
  );
  assert.ok(answers.every((answer) => answer.status === 200 && answer.text.includes('<main>')));
  assert.equal((await totalQueryRuns()) - before, 20);
});

test('a host killed in the middle of a run: another takes the run over and the element shows the dashboard', async () => {
  const gate = await closeGate(postgres.url);
  try {
    const token = await tokenFor(GATED);
    const [victim] = hosts;
    // The victim starts the run (and holds its lock); its query waits at the gate.
    const cut = fetch(`${victim!.url}/d/${GATED}/?embed_token=${token}`).then((response) => response.text()).catch(() => 'cut');
    await gate.waiting(1);
    await victim!.kill();
    assert.equal(await cut.then((text) => text.includes('<main>')), false, 'the victim never finished its page');
    const before = await totals();

    // The browser asks for the same dashboard and filters, hence the same token, through the balancer.
    const shown = loadAfter(() =>
      page.evaluate((id) => {
        const embed = document.getElementById('embed')!;
        embed.removeAttribute('filter-date-range');
        embed.setAttribute('dashboard', String(id));
      }, GATED),
    );
    // A survivor waits for the dead host's lock to expire, takes the run over, and waits at the
    // gate too (beside the dead host's orphaned query).
    await gate.waiting(2);
    await gate.open();
    assert.equal(await shownCompletedOrders(await shown), await expectedCompletedOrders());
    const after = await totals();
    assert.equal(after.queryRuns - before.queryRuns, 1, 'one survivor ran it');
    assert.ok(after.awaitedRuns > before.awaitedRuns, 'after waiting for the dead host’s lock');
  } finally {
    await gate.end();
  }
});

test('Redis killed: dashboards keep loading, from each host’s own cache or its own run, logged once', async () => {
  await redis.kill();
  const fresh = await loadAfter(() =>
    page.evaluate((id) => {
      const embed = document.getElementById('embed')!;
      embed.setAttribute('dashboard', String(id));
      embed.setAttribute('filter-user-id', '201');
    }, OVERVIEW),
  );
  assert.equal(await shownCompletedOrders(fresh), await expectedCompletedOrders('AND user_id = 201'));
  // Back to filters seen before Redis died (the first test's): the same token, served from
  // wherever it lands, from that host's own cache or a run of its own.
  const seen = await loadAfter(() => page.evaluate(() => document.getElementById('embed')!.removeAttribute('filter-user-id')));
  assert.equal(await shownCompletedOrders(seen), await expectedCompletedOrders());
  for (let i = 0; i < 6; i++) {
    const response = await fetch(`${balancer.url}/d/${OVERVIEW}/?embed_token=${await tokenFor(OVERVIEW, { USER_ID: String(2000 + i) })}`);
    assert.equal(response.status, 200);
  }
  for (const host of hosts.slice(1)) {
    const outages = host.logs().filter((entry) => entry.event === 'store_unavailable');
    assert.equal(outages.length, 1, host.output().slice(-2000));
  }
});

test('through it all, the browser saw no 5xx from the balancer', () => {
  assert.ok(statuses.length >= 5);
  assert.deepEqual(statuses.filter((entry) => entry.status >= 500), []);
});
