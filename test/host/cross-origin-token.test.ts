/**
 * A token endpoint on another origin than the app, in real Chromium: the app on
 * `http://app.example.test:A`, its token endpoint on `http://api.example.test:E` (same site,
 * another origin: the `app.example.com` / `api.example.com` set-up the endpoint's CORS is for),
 * the dashboard host on 127.0.0.1 (the element frames plain `http:` on loopback only). Chromium
 * resolves those names to 127.0.0.1
 * (`--host-resolver-rules`), so the browser applies its real origin and cookie rules.
 * - `credentials="include"` with the app's origin in `allowedOrigins`: the browser sends the CORS
 *   preflight, then the POST with the session cookie; the element gets a token and shows the
 *   session's account's numbers.
 * - The same without the app's origin listed: the preflight is refused, no POST is sent, nothing
 *   is signed, and the element fires `chartio-error` (after its retries, run on Playwright's
 *   clock rather than waited for).
 * - The default `credentials` (`same-origin`) to the listed endpoint: no cookie goes, the
 *   endpoint answers 401 `unauthenticated` with CORS headers, and the element says so.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { bundleElement } from '../../demo/element-bundle.js';
import { createEmbedSigner, createTokenHandler, toNodeHandler, type TokenAnswer } from '../../src/server/index.js';
import type { DataSource } from '../../src/host/index.js';
import { openDemoDatabase, ORGANIZATION, OVERVIEW, SECRET, serveHost, type ServedHost } from './helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

const SITE = 'example.test';
let database: DataSource;
let host: ServedHost;
let app: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const closers: (() => Promise<void>)[] = [];

/** What one token endpoint saw: its answers' codes as they happen, and its signatures. */
interface Endpoint {
  readonly origin: string;
  readonly answers: string[];
  signed: number;
  /** Resolves once the endpoint has given `count` answers. */
  answered(count: number): Promise<void>;
}

/** Listens on 127.0.0.1 and resolves to the port. */
async function listen(server: Server): Promise<number> {
  const { port } = await listenLocal(server);
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return port;
}

/** A token endpoint on `api.example.test`, allowing `allowedOrigins`, with the session from the `session` cookie. */
async function startEndpoint(allowedOrigins: string[]): Promise<Endpoint> {
  const waiters = new Set<() => void>();
  const endpoint = { origin: '', answers: [] as string[], signed: 0 } as Endpoint & { signed: number };
  // The host on loopback: the element frames plain http: only there.
  const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, ttl: 900, baseUrl: `${host.origin}/d/{dashboard}`, onSign: () => endpoint.signed++ });
  const handler = toNodeHandler(
    createTokenHandler({
      signer,
      dashboards: [OVERVIEW],
      filters: ['USER_ID'],
      allowedOrigins,
      lockedEnv: (request) => (/(?:^|;\s*)session=acct-1(?:;|$)/.test(request.headers.get('cookie') ?? '') ? { ACCT_ID: '1' } : null),
      onAnswer: (answer: TokenAnswer) => {
        endpoint.answers.push(answer.code);
        for (const wake of waiters) wake();
      },
    }),
  );
  const port = await listen(createServer((req, res) => void handler(req, res)));
  return Object.assign(endpoint, {
    origin: `http://api.${SITE}:${port}`,
    answered: (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (endpoint.answers.length < count) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  });
}

let appOrigin = '';
let listed: Endpoint;
let unlisted: Endpoint;

before(async () => {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or `sudo apt-get install -y chromium`.');
  database = await openDemoDatabase();
  app = createServer();
  appOrigin = `http://app.${SITE}:${await listen(app)}`;
  host = await serveHost({ database, frameAncestors: [appOrigin] });
  listed = await startEndpoint([appOrigin]);
  unlisted = await startEndpoint([`http://other.${SITE}:1`]);

  const element = await bundleElement();
  app.on('request', (req, res) => {
    if (req.url === '/chartio-embed.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void res.end(element);
    }
    const id = new URL(req.url ?? '/', appOrigin).searchParams.get('case') ?? '';
    const [endpoint, credentials] = id === 'unlisted' ? [unlisted, ' credentials="include"'] : id === 'default' ? [listed, ''] : [listed, ' credentials="include"'];
    // The app's session cookie, for the whole site (app. and api.), as a login would set it.
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `session=acct-1; Domain=${SITE}; Path=/; HttpOnly; SameSite=Lax` });
    res.end(`<!doctype html><title>app</title><script type="module" src="/chartio-embed.js"></script>
<chartio-embed id="embed" dashboard="${OVERVIEW}" token-endpoint="${endpoint.origin}/embed-token"${credentials} title="Overview" style="--chartio-embed-height: 700px"></chartio-embed>
<script type="module">
  window.seen = { loads: 0, errors: [] };
  const embed = document.getElementById('embed');
  embed.addEventListener('chartio-load', () => window.seen.loads++);
  embed.addEventListener('chartio-error', (event) => window.seen.errors.push(event.detail));
</script>`);
  });

  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP *.${SITE} 127.0.0.1`] });
  context = await browser.newContext();
  // The element's retries after a refused preflight run on this clock (1 s, 2 s, 4 s): the test
  // moves it on instead of waiting.
  await context.clock.install();
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  for (const close of closers) await close();
  await host?.close();
  await database?.close();
});

type Seen = { loads: number; errors: { phase: string; code?: string; status?: number; message: string }[] };
const seen = () => page.evaluate(() => (window as unknown as { seen: Seen }).seen);
const settled = () => page.waitForFunction(() => {
  const now = (window as unknown as { seen?: Seen }).seen;
  return now !== undefined && (now.loads > 0 || now.errors.length > 0);
});

test('credentials="include", origin listed: preflight, then the POST with the session cookie; the dashboard shows', async () => {
  const corsAnswers: Record<string, string | null>[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(listed.origin)) corsAnswers.push({ method: response.request().method(), origin: response.headers()['access-control-allow-origin'] ?? null, credentials: response.headers()['access-control-allow-credentials'] ?? null });
  });
  await page.goto(`${appOrigin}/?case=include`);
  await settled();
  const { loads, errors } = await seen();
  assert.deepEqual(errors, []);
  assert.equal(loads, 1);
  assert.deepEqual(listed.answers, ['preflight', 'ok'], 'a CORS preflight, then the token');
  assert.equal(listed.signed, 1);
  assert.deepEqual(corsAnswers.filter((answer) => answer.method === 'POST'), [{ method: 'POST', origin: appOrigin, credentials: 'true' }]);

  const frame: Frame | null | undefined = await (await page.$('#embed iframe'))?.contentFrame();
  assert.ok(frame, 'the dashboard frame');
  assert.ok(frame.url().startsWith(`${host.origin}/d/${OVERVIEW}/?embed_token=`));
  const shown = await frame.locator('figure.chart-number', { has: frame.locator('h2', { hasText: 'Completed orders' }) }).locator('.value').innerText();
  const { rows } = await database.query("SELECT count(*) AS n FROM orders WHERE account_id = 1 AND status = 'completed'", {});
  assert.equal(shown, new Intl.NumberFormat('en-US').format(Number(rows[0]![0])), 'the numbers of the account the cookie’s session names');
});

test('credentials="include", origin not listed: the preflight is refused, no POST, no token, chartio-error', async () => {
  await page.goto(`${appOrigin}/?case=unlisted`);
  // Each attempt is one refused preflight; after each, move the element's clock past its backoff.
  for (let attempts = 1; ; attempts++) {
    await unlisted.answered(attempts);
    const next = await Promise.race([
      unlisted.answered(attempts + 1).then(() => 'retried' as const),
      settled().then(() => 'settled' as const),
      page.clock.fastForward(10_000).then(() => new Promise<'moved'>(() => undefined)),
    ]);
    if (next === 'settled') break;
  }
  const { loads, errors } = await seen();
  assert.equal(loads, 0);
  assert.equal(errors.length, 1);
  assert.deepEqual([errors[0]!.phase, errors[0]!.code], ['token', 'network'], 'the browser keeps the refusal from the page: all it knows is that the request failed');
  assert.ok(unlisted.answers.length >= 1 && unlisted.answers.every((code) => code === 'origin_not_allowed'), unlisted.answers.join());
  assert.equal(unlisted.signed, 0, 'nothing was signed');
  assert.equal(await page.$('#embed iframe'), null, 'no dashboard frame');
});

test('credentials left at same-origin: no cookie crosses origins, the endpoint answers unauthenticated, the element says so', async () => {
  const before = listed.answers.length;
  await page.goto(`${appOrigin}/?case=default`);
  await settled();
  const { loads, errors } = await seen();
  assert.equal(loads, 0);
  assert.deepEqual(errors.map(({ phase, code, status }) => ({ phase, code, status })), [{ phase: 'token', code: 'unauthenticated', status: 401 }]);
  // The preflight may be answered from the browser's preflight cache (max-age 600) this time.
  assert.deepEqual(listed.answers.slice(before).filter((code) => code !== 'preflight'), ['unauthenticated']);
  assert.equal(listed.signed, 1, 'nothing more was signed');
});
