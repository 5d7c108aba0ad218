/**
 * The host's metrics and audit log, on a real host over real HTTP: Prometheus text scraped from
 * the admin port (`host.admin` on a server of its own) after pages served from a run, from the
 * cache, from a joined run and refused; the public port serving neither `/stats` nor `/metrics`
 * unless told; one audit line per view, with the token's hash (never the token), redacted values
 * and how it was served, to a function and to a file.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toNodeHandler } from '../../src/server/index.js';
import { createDashboardHost, createHostMetrics, loadDashboardFiles, type AuditRecord, type DataSource, type HostMetrics } from '../../src/host/index.js';
import { dashboardPath, DEMO_DASHBOARDS, gatedDatabase, manualClock, openDemoDatabase, ORGANIZATION, OVERVIEW, SECRET, serveHost, signToken, T0, type ServedHost } from './helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(() => database.close());

/** Serves a handler on a loopback port of its own. */
async function serve(handler: Parameters<typeof toNodeHandler>[0]): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer(toNodeHandler(handler));
  const { origin } = await listenLocal(server);
  return {
    origin,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The value of one sample in Prometheus text (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('metrics and audit on one host', () => {
  const clock = manualClock();
  let gate: ReturnType<typeof gatedDatabase>;
  const audit: AuditRecord[] = [];
  const lines: string[] = [];
  let metrics: HostMetrics;
  let served: ServedHost;
  let admin: { origin: string; close(): Promise<void> };

  before(async () => {
    gate = gatedDatabase(database);
    metrics = await createHostMetrics({ defaultMetrics: false });
    served = await serveHost({
      database: gate.database,
      now: clock.now,
      metrics,
      audit: {
        sink: (record, line) => {
          audit.push(record);
          lines.push(line);
        },
        redact: ['USER_ID'],
      },
    });
    admin = await serve(served.host.admin);
  });
  after(async () => {
    await admin.close();
    await served.close();
  });

  test('views: a run, a joined run, a cache hit, the data route and refusals', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1', USER_ID: '42' } });
    // Two concurrent first requests: one runs, the other joins it. Each answer's head (Loading)
    // comes at once, while the queries wait at the gate.
    const first = await fetch(served.origin + dashboardPath(OVERVIEW, token));
    await gate.held();
    const second = await fetch(served.origin + dashboardPath(OVERVIEW, token));
    assert.equal(served.host.stats().joinedRuns, 1);
    gate.release();
    await Promise.all([first.text(), second.text()]);
    assert.equal((await served.get(dashboardPath(OVERVIEW, token))).status, 200);
    const data = await fetch(`${served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(data.status, 200);
    const expired = await signToken(manualClock(T0 - 3_600_000), { dashboard: OVERVIEW, env: { ACCT_ID: '1' }, ttl: 600 });
    assert.equal((await served.get(dashboardPath(OVERVIEW, expired))).status, 401);
    assert.equal((await served.get(`/d/${OVERVIEW}/`)).status, 401);
  });

  test('the admin port serves Prometheus text with the counters of those views', async () => {
    const response = await fetch(`${admin.origin}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    assert.equal(sample(text, 'chartio_host_requests_total', 'route="page",status="200"'), 3);
    assert.equal(sample(text, 'chartio_host_requests_total', 'route="page",status="401"'), 2);
    assert.equal(sample(text, 'chartio_host_requests_total', 'route="data",status="200"'), 1);
    assert.equal(sample(text, 'chartio_host_cache_hits_total', 'tier="local"'), 2, 'the page again, then the data route');
    assert.equal(sample(text, 'chartio_host_cache_hits_total', 'tier="shared"'), 0);
    assert.equal(sample(text, 'chartio_host_cache_misses_total'), 1);
    assert.equal(sample(text, 'chartio_host_joined_runs_total'), 1);
    assert.equal(sample(text, 'chartio_host_query_runs_total', `dashboard="${OVERVIEW}",result="ok"`), 1);
    assert.equal(sample(text, 'chartio_host_query_run_seconds_count', `dashboard="${OVERVIEW}"`), 1);
    assert.ok(sample(text, 'chartio_host_query_run_seconds_sum', `dashboard="${OVERVIEW}"`)! > 0);
    assert.equal(sample(text, 'chartio_host_queue_depth', 'source="default",state="running"'), 0);
    assert.equal(sample(text, 'chartio_host_queue_depth', 'source="default",state="queued"'), 0);
    assert.equal(sample(text, 'chartio_host_queue_full_total', 'source="default"'), 0);
    assert.equal(sample(text, 'chartio_host_store_errors_total'), 0);
    assert.equal(sample(text, 'chartio_host_token_refusals_total', 'code="token_expired"'), 1);
    assert.equal(sample(text, 'chartio_host_token_refusals_total', 'code="token_missing"'), 1);
    assert.equal(sample(text, 'chartio_host_cache_entries'), 1);
    assert.equal(sample(text, 'chartio_host_query_runs_total', `dashboard="${OVERVIEW}",result="failed"`), undefined);
    assert.ok(!text.includes('process_cpu'), 'defaultMetrics: false');
    assert.deepEqual(await (await fetch(`${admin.origin}/stats`)).json(), served.host.stats());
    assert.equal((await fetch(`${admin.origin}/healthz`)).status, 200);
    assert.equal((await fetch(`${admin.origin}/d/${OVERVIEW}/`)).status, 404, 'the admin port serves no dashboard');
  });

  test('the public port serves neither /stats nor /metrics by default', async () => {
    for (const path of ['/stats', '/metrics']) {
      const answer = await served.get(path);
      assert.equal(answer.status, 404, path);
      assert.match(answer.text, /data-code="not_found"/);
    }
  });

  test('one audit line per view: hash of the token, redacted values, how it was served, status', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1', USER_ID: '42' } });
    const hash = createHash('sha256').update(token).digest('base64url');
    // The run and the joined request end together, in either order.
    assert.deepEqual(
      audit.map(({ route, served: how, status, code }) => [route, how, status, code].join(' ')).sort(),
      ['page run 200 ok', 'page joined 200 ok', 'page hit 200 ok', 'data hit 200 ok', 'page refused 401 token_expired'].sort(),
    );
    for (const record of audit.filter((entry) => entry.served !== 'refused')) {
      assert.equal(record.token, hash);
      assert.deepEqual(record.env, { ACCT_ID: '1', USER_ID: '[redacted]' });
      assert.equal(record.organization, ORGANIZATION);
      assert.equal(record.dashboard, OVERVIEW);
      assert.equal(record.time, new Date(clock.now()).toISOString());
      assert.ok(record.durationMs >= 0);
    }
    for (const record of audit.filter((entry) => entry.served === 'refused')) assert.equal(record.env, undefined, 'an unverified token’s claims are not written');
    for (const [index, line] of lines.entries()) {
      assert.deepEqual(JSON.parse(line), audit[index]);
      assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
      assert.ok(!line.includes(token.split('.')[2]!), 'never the token');
      assert.ok(!line.includes('"42"'), 'a redacted value is not written');
    }
  });
});

test('audit to a file: JSON lines appended, the file closed with the host', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'chartio-audit-'));
  try {
    const file = join(folder, 'audit.jsonl');
    const clock = manualClock();
    const served = await serveHost({ database, now: clock.now, audit: { sink: { file }, redact: ['*'] } });
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '9' } });
    await served.get(dashboardPath(OVERVIEW, token));
    await served.get(dashboardPath(OVERVIEW, token));
    await served.close();
    const records = (await readFile(file, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as AuditRecord);
    assert.deepEqual(records.map((record) => [record.served, record.status, record.env]), [
      ['run', 200, { ACCT_ID: '[redacted]' }],
      ['hit', 200, { ACCT_ID: '[redacted]' }],
    ]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('options: metricsRoute needs metrics; metrics serve one host; a bad audit option is named', async () => {
  const dashboards = await loadDashboardFiles(DEMO_DASHBOARDS);
  const base = { organization: ORGANIZATION, secret: SECRET, dashboards, database, frameAncestors: [] };
  assert.throws(() => createDashboardHost({ ...base, metricsRoute: true }), /metricsRoute: true needs metrics to serve/);
  assert.throws(() => createDashboardHost({ ...base, metrics: {} as HostMetrics }), /metrics must be what `await createHostMetrics\(\)` resolves to/);
  const metrics = await createHostMetrics({ defaultMetrics: false });
  const host = createDashboardHost({ ...base, metrics, metricsRoute: true });
  assert.throws(() => createDashboardHost({ ...base, metrics }), /already report one host/);
  assert.throws(() => createDashboardHost({ ...base, audit: { sink: 'stderr' as 'stdout' } }), /audit\.sink must be "stdout", \{ file: "\/path\/audit\.jsonl" \} or a function/);
  assert.throws(() => createDashboardHost({ ...base, audit: { sink: 'stdout', redact: ['user id'] } }), /audit\.redact must be a list of Hidden Variable names/);
  await assert.rejects(createHostMetrics({ prefix: 'bad prefix' }), /metrics prefix must be a Prometheus name start/);
  // metricsRoute: true serves /metrics on the host's own routes too.
  const served = await serve(host);
  try {
    const answer = await fetch(`${served.origin}/metrics`);
    assert.equal(answer.status, 200);
    assert.match(await answer.text(), /# TYPE chartio_host_requests_total counter/);
  } finally {
    await served.close();
    await host.close();
  }
});
