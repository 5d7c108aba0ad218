/**
 * The haproxy example (examples/haproxy/haproxy.cfg, issue 18 item 7) run as it is, only its
 * addresses given through the environment variables it reads: three real hosts behind it (on one
 * demo DuckDB), their health route checked, first views spread round robin over the three, and a
 * host gone mid-way skipped without one failed request.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { DataSource } from '../../src/host/index.js';
import { runHaproxy, type HaproxyServer } from '../launchers/haproxy-server.js';
import { freePort } from '../launchers/free-port.js';
import { dashboardPath, manualClock, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from '../host/helpers/host-fixtures.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/haproxy/haproxy.cfg', import.meta.url));

let database: DataSource;
let hosts: ServedHost[];
let balancer: HaproxyServer;
const clock = manualClock(Date.now());

before(async () => {
  database = await openDemoDatabase();
  hosts = await Promise.all([0, 1, 2].map(() => serveHost({ database, now: clock.now })));
  const port = await freePort();
  const addresses = hosts.map((host) => host.origin.replace('http://', ''));
  balancer = await runHaproxy(EXAMPLE, port, { LISTEN: `127.0.0.1:${port}`, HOST1: addresses[0]!, HOST2: addresses[1]!, HOST3: addresses[2]! });
});
after(async () => {
  await balancer?.stop();
  await Promise.all((hosts ?? []).map((host) => host.close().catch(() => undefined)));
  await database?.close();
});

/** A first view of the overview for a new account, through the balancer. */
async function firstView(account: number): Promise<number> {
  const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: String(account) } });
  const response = await fetch(`${balancer.url}${dashboardPath(OVERVIEW, token)}`);
  await response.text();
  return response.status;
}

test('the example file as it is: health route through it, first views round robin over the three hosts', async () => {
  const health = await fetch(`${balancer.url}/healthz`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ready', dataSources: { default: 'ok' } });
  for (let account = 1; account <= 6; account++) assert.equal(await firstView(account), 200);
  assert.deepEqual(hosts.map((served) => served.host.stats().misses), [2, 2, 2]);
});

test('a host gone: its requests are retried on the others, none fails', async () => {
  await hosts[1]!.close();
  const statuses = [];
  for (let account = 11; account <= 19; account++) statuses.push(await firstView(account));
  assert.deepEqual(statuses, Array(9).fill(200));
  assert.equal(hosts[0]!.host.stats().misses + hosts[2]!.host.stats().misses, 4 + 9, "every view of the last nine answered by the two left");
});
