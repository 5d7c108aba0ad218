/**
 * A key rotation, then a revocation, through real hosts: two `chartio-embed host` processes (the
 * built CLI, the demo data in DuckDB, one shared Redis) behind haproxy, and an app whose page
 * embeds two dashboards with `<chartio-embed>` in Chromium. The hosts are restarted one at a time
 * (a rolling restart, as a deployment does it) through the three steps of a rotation:
 * 1. the hosts accept the old key (no kid) and the new one (kid "2025-06");
 * 2. the app's signer switches to the new key;
 * 3. the hosts drop the old key.
 * Both dashboards keep loading through every step: the browser sees no 4xx or 5xx and every
 * audit line the hosts write is a 200. Then `chartio-embed revoke` (the built CLI) revokes one
 * dashboard's tokens: that element renews its token once by itself (a fresh one, issued after the cut-off) and loads on, as does the other.
 *
 * Why processes and a balancer rather than one element against one in-process host: a key
 * change is a configuration change, so a real rotation restarts hosts, and only a rolling restart
 * behind a balancer shows that no viewer notices it; the element in Chromium shows what a viewer
 * sees (its cached tokens, its in-place updates) at each step.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { createEmbedSigner, createTokenHandler, toNodeHandler, type EmbedSigner, type NodeHandler } from '../../src/server/index.js';
import { freePort } from '../launchers/free-port.js';
import { startHaproxy, type HaproxyServer } from '../launchers/haproxy-server.js';
import { startRedis, type RedisServer } from '../launchers/redis-server.js';
import { ORGANIZATION, OVERVIEW, PRODUCT_MIX, SECRET } from '../host/helpers/host-fixtures.js';
import { DEMO_DASHBOARDS, demoDataSources } from '../support/demo-database.js';
import { appPage, startHostProcess, type HostProcess } from './support.js';
import { listenLocal } from '../launchers/listen-local.js';

const NEW_SECRET = 'the-new-embed-secret-2025-06-0123456789-abcdef';
const NEW_KID = '2025-06';
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

let redis: RedisServer;
let balancer: HaproxyServer;
let folder: string;
let app: Server;
let appUrl = '';
let browser: Browser;
let page: Page;
/** Each host's public and admin ports: a restarted host comes back on the same ones. */
const slots: { port: number; admin: number }[] = [];
/** The hosts running now, by slot, and every host process started (for their audit lines). */
const hosts: HostProcess[] = [];
const started: HostProcess[] = [];
let generation = 0;
/** What the app's token endpoint signs with now. */
let tokens: NodeHandler;
/** Every answer the browser got from the balancer, and every token it was handed. */
const statuses: { url: string; status: number }[] = [];
const handed: string[] = [];

function endpointFor(signer: EmbedSigner): NodeHandler {
  return toNodeHandler(createTokenHandler({ signer, dashboards: [OVERVIEW, PRODUCT_MIX], filters: ['DATE_RANGE', 'USER_ID'], lockedEnv: () => ({ ACCT_ID: '1' }), ttl: 3_600 }));
}

/** A host's configuration for one step of the rotation (`keys` or the old `secretFile`). */
function configOf(slot: { port: number; admin: number }, secrets: object): object {
  return {
    organization: ORGANIZATION,
    dashboards: DEMO_DASHBOARDS,
    dataSources: demoDataSources(),
    redis: { url: redis.url, lockTtlMs: 3_000, commandTimeoutMs: 2_000 },
    port: slot.port,
    frameAncestors: [appUrl],
    metrics: true,
    admin: { port: slot.admin },
    audit: { stdout: true, redact: ['USER_ID'] },
    revocation: { refreshMs: 1_000 },
    shutdownTimeoutMs: 5_000,
    ...secrets,
  };
}

/** Starts the host of `slot` on `secrets`, and (once there is a balancer) resolves when it has checked it healthy. */
async function startHost(index: number, secrets: object): Promise<void> {
  const host = await startHostProcess(folder, `host${index}-${generation++}`, configOf(slots[index]!, secrets), SECRET);
  hosts[index] = host;
  started.push(host);
  if (balancer) await checkedHealthy(index);
}

/**
 * haproxy checks /healthz every 500 ms: once a check has been answered 200 by this host, the
 * balancer counts it as up (rise 1). Asked of the host's own counters, request by request.
 */
async function checkedHealthy(index: number): Promise<void> {
  for (;;) {
    const metrics = await (await fetch(`http://127.0.0.1:${slots[index]!.admin}/metrics`)).text();
    if (/^chartio_host_requests_total\{route="health",status="200"\} [1-9]/m.test(metrics)) return;
  }
}

/** A rolling restart: each host in turn stops (SIGTERM) and comes back on `secrets`, while `during` runs between the two. */
async function rollingRestart(secrets: object, during: () => Promise<void>): Promise<void> {
  for (const index of [0, 1]) {
    assert.equal(await hosts[index]!.terminate(), 0);
    await startHost(index, secrets);
    if (index === 0) await during();
  }
}

before(async () => {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or `sudo apt-get install -y chromium`.');
  folder = await mkdtemp(join(tmpdir(), 'chartio-rotation-'));
  await writeFile(join(folder, 'old.secret'), `${SECRET}\n`);
  await writeFile(join(folder, 'new.secret'), `${NEW_SECRET}\n`);
  redis = await startRedis();
  app = createServer();
  appUrl = (await listenLocal(app)).origin;
  for (let i = 0; i < 2; i++) slots.push({ port: await freePort(), admin: await freePort() });
  // Before key ids: one secret, in a file; tokens carry no kid.
  await Promise.all([0, 1].map((index) => startHost(index, { secretFile: join(folder, 'old.secret') })));
  balancer = await startHaproxy(slots.map((slot) => slot.port));
  await Promise.all([checkedHealthy(0), checkedHealthy(1)]);

  tokens = endpointFor(createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, baseUrl: `${balancer.url}/d/{dashboard}` }));
  app.on(
    'request',
    await appPage(
      (req, res) => tokens(req, res),
      `<chartio-embed id="overview" dashboard="${OVERVIEW}" token-endpoint="/embed-token" title="Overview" style="--chartio-embed-height: 600px"></chartio-embed>
<chartio-embed id="mix" dashboard="${PRODUCT_MIX}" token-endpoint="/embed-token" title="Product mix" filter-date-range='["2015-01-01","2015-06-30"]' style="--chartio-embed-height: 600px"></chartio-embed>
<script type="module">
  window.seen = { overview: { loads: 0, errors: [] }, mix: { loads: 0, errors: [] } };
  for (const id of ['overview', 'mix']) {
    const embed = document.getElementById(id);
    embed.addEventListener('chartio-load', () => window.seen[id].loads++);
    embed.addEventListener('chartio-error', (event) => window.seen[id].errors.push(event.detail));
  }
</script>`,
    ),
  );

  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  page.on('response', async (response) => {
    if (response.url().startsWith(balancer.url)) statuses.push({ url: response.url(), status: response.status() });
    if (response.url().endsWith('/embed-token') && response.status() === 200) handed.push((await response.json()).token);
  });
});

after(async () => {
  await browser?.close();
  await balancer?.stop();
  await Promise.all(hosts.map((host) => (host.child.exitCode === null && host.child.signalCode === null ? host.terminate() : undefined)));
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  await redis?.stop();
  await rm(folder, { recursive: true, force: true });
});

type Seen = { loads: number; errors: { code?: string; status?: number; phase: string }[] };
const seen = (id: string) => page.evaluate((which) => (window as unknown as { seen: Record<string, Seen> }).seen[which]!, id);

/**
 * Runs `action` and resolves once the element `id` fired its next `chartio-load`; rejects with
 * the element's error if it fired `chartio-error` instead.
 */
async function loadAfter(id: string, action: () => Promise<unknown>): Promise<void> {
  const before = await seen(id);
  await action();
  await page.waitForFunction(
    ([which, loads, errors]) => {
      const now = (window as unknown as { seen: Record<string, Seen> }).seen[which]!;
      return now.loads > loads || now.errors.length > errors;
    },
    [id, before.loads, before.errors.length] as const,
  );
  const after = await seen(id);
  assert.deepEqual(after.errors.slice(before.errors.length), [], `${id} failed`);
}

/** Opens the app's page afresh (an empty token cache) and resolves once both dashboards loaded. */
async function openPage(): Promise<void> {
  await page.goto(appUrl);
  await page.waitForFunction(() => {
    const now = (window as unknown as { seen?: Record<string, Seen> }).seen;
    return now !== undefined && Object.values(now).every((element) => element.loads > 0 || element.errors.length > 0);
  });
  for (const id of ['overview', 'mix']) assert.deepEqual((await seen(id)).errors, [], `${id} failed`);
}

const setFilter = (id: string, name: string, value: string) => page.evaluate(([which, attribute, text]) => document.getElementById(which)!.setAttribute(attribute, text), [id, name, value] as const);
const call = (id: string, method: 'reload' | 'refresh') => page.evaluate(([which, name]) => (document.getElementById(which) as unknown as Record<string, () => void>)[name]!(), [id, method] as const);
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string | undefined;

test('before the rotation: both dashboards load with tokens signed by the old secret, without a kid', async () => {
  await openPage();
  assert.ok(handed.length >= 2 && handed.every((token) => kidOf(token) === undefined));
});

test('step 1: the hosts accept both keys; the old tokens keep working across the rolling restart', async () => {
  await rollingRestart({ keys: [{ secretFile: 'old.secret' }, { kid: NEW_KID, secretFile: 'new.secret' }] }, () =>
    loadAfter('overview', () => setFilter('overview', 'filter-user-id', '101')),
  );
  // The element's cached tokens (old key), on hosts that have never seen them.
  await loadAfter('mix', () => call('mix', 'reload'));
  await loadAfter('overview', () => setFilter('overview', 'filter-user-id', '102'));
  assert.ok(handed.every((token) => kidOf(token) === undefined));
});

test('step 2: the signers switch to the new key; new tokens name it and load, old ones still do', async () => {
  const first = handed.length;
  tokens = endpointFor(createEmbedSigner({ secret: NEW_SECRET, kid: NEW_KID, organization: ORGANIZATION, baseUrl: `${balancer.url}/d/{dashboard}` }));
  await loadAfter('overview', () => setFilter('overview', 'filter-user-id', '103'));
  await loadAfter('mix', () => call('mix', 'refresh'));
  // A filter set seen before: the element serves its cached token, signed with the old key.
  await loadAfter('overview', () => setFilter('overview', 'filter-user-id', '101'));
  assert.ok(handed.length - first >= 2 && handed.slice(first).every((token) => kidOf(token) === NEW_KID));
});

test('step 3: the hosts drop the old key; pages (whose old tokens have expired: a fresh page here) keep loading', async () => {
  // In production this step waits for the old tokens to expire (24 h at most): every page then
  // holds new-key tokens, as a freshly loaded page does.
  const first = handed.length;
  await openPage();
  await rollingRestart({ keys: [{ kid: NEW_KID, secretFile: 'new.secret' }] }, () => loadAfter('overview', () => setFilter('overview', 'filter-user-id', '104')));
  await loadAfter('overview', () => call('overview', 'reload'));
  await loadAfter('mix', () => call('mix', 'reload'));
  assert.ok(handed.slice(first).every((token) => kidOf(token) === NEW_KID));

  // Throughout, no viewer saw a refusal: the browser's answers and every host's audit lines.
  assert.ok(statuses.length >= 10);
  assert.deepEqual(statuses.filter((entry) => entry.status >= 400), []);
  const audit = started.flatMap((host) => host.stdoutLines());
  assert.ok(audit.length >= 10, `audit lines: ${audit.length}`);
  assert.deepEqual(audit.filter((line) => line.status !== 200), []);
  assert.ok(audit.every((line) => (line.env as Record<string, string> | undefined)?.USER_ID === undefined || (line.env as Record<string, string>).USER_ID === '[redacted]'));

  // An old token now is token_key_unknown, on whichever host answers.
  const old = await createEmbedSigner({ secret: SECRET, organization: ORGANIZATION }).sign({ dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
  const refused = await fetch(`${balancer.url}/d/${OVERVIEW}/?embed_token=${old.token}`);
  assert.equal(refused.status, 401);
  assert.match(await refused.text(), /data-code="token_key_unknown"/);
});

test('chartio-embed revoke: the revoked dashboard’s element renews its token by itself and loads on; so does the other', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'revoke', '--config', join(folder, `host0-${generation - 2}.json`), '--before', 'now', '--dashboard', String(OVERVIEW)]);
  assert.match(stdout, new RegExp(`tokens for dashboard ${OVERVIEW} of organization ${ORGANIZATION} issued before .* are refused by every host sharing this Redis`));
  await Promise.all(hosts.map((host) => host.logged('revocation_updated')));

  // The element's token (issued before the cut-off) is refused; it asks the endpoint for a fresh
  // one once, and shows that: no chartio-error (loadAfter rejects on one). A fresh token's iat is
  // a whole second, so one issued within the cut-off's own second would be refused too: the reload
  // waits for the clock to leave that second (real processes: their clocks cannot be controlled).
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
  await loadAfter('overview', () => call('overview', 'reload'));
  await loadAfter('mix', () => call('mix', 'reload'));

  // Each host's own metrics, scraped from its admin port: the refusal counted where it happened.
  const scraped = await Promise.all(slots.map(async (slot) => (await fetch(`http://127.0.0.1:${slot.admin}/metrics`)).text()));
  const revoked = scraped.map((text) => Number(/^chartio_host_token_refusals_total\{code="token_revoked"\} (\d+)$/m.exec(text)?.[1] ?? 0));
  assert.ok(revoked[0]! + revoked[1]! >= 1, `token_revoked refusals: ${revoked.join(', ')}`);
  for (const slot of slots) assert.equal((await fetch(`http://127.0.0.1:${slot.port}/metrics`)).status, 404, '/metrics is not on the public port');
});
