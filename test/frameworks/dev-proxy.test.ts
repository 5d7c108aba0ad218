/**
 * The framework notes for dev servers, proven: a framework page served through a dev server's
 * proxy (helpers/dev-proxy.ts, which forwards as Vite's and Angular's do) gets its token from the
 * real endpoint behind it, with the proxy configurations the README quotes
 * (demo/frameworks/dev-proxy/), and is refused with 403 `origin_not_allowed` when the proxy
 * rewrites `Host` (`changeOrigin`) until the endpoint lists the dev server in `allowedOrigins`.
 * Run: node --import tsx --test test/frameworks/dev-proxy.test.ts
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { eventLog, launchChromium, openPage, waitForText } from './helpers/browser.js';
import { startDevProxy, type DevProxy, type ProxyConfig } from './helpers/dev-proxy.js';
import { startFrameworkServers, type FrameworkServers } from './helpers/servers.js';

const CONFIGS = new URL('../../demo/frameworks/dev-proxy/', import.meta.url);

/** The proxy rules of the files the README quotes. */
async function quotedConfigs(): Promise<{ vite: ProxyConfig; angular: ProxyConfig }> {
  const vite = (await import(new URL('vite.config.js', CONFIGS).href)).default.server.proxy as ProxyConfig;
  const angular = JSON.parse(await readFile(new URL('proxy.conf.json', CONFIGS), 'utf8')) as ProxyConfig;
  return { vite, angular };
}

describe('<chartio-embed> behind a dev server\'s proxy', () => {
  let proxy: DevProxy;
  let browser: Browser;
  /** The endpoint with its default: only its own origin may ask. */
  let strict: FrameworkServers;
  /** The endpoint with the dev server in allowedOrigins. */
  let allowing: FrameworkServers;
  let configs: Awaited<ReturnType<typeof quotedConfigs>>;

  before(async () => {
    [proxy, browser, configs] = await Promise.all([startDevProxy(), launchChromium(), quotedConfigs()]);
    [strict, allowing] = await Promise.all([
      startFrameworkServers({ devServer: proxy.origin }),
      startFrameworkServers({ devServer: proxy.origin, allowDevServer: true }),
    ]);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([proxy?.close(), strict?.close(), allowing?.close()]);
  });

  /** Opens the React page through the proxy; resolves with what the page's component saw. */
  async function throughProxy(servers: FrameworkServers, expect: 'load' | 'error') {
    const mark = servers.tokens.requests.items.length;
    const { page, problems, close } = await openPage(browser, `${proxy.origin}/frameworks/react`);
    try {
      await waitForText(page, expect === 'load' ? 'load-count' : 'error-count', '1');
      const log = await eventLog(page);
      const statuses = servers.tokens.requests.since(mark).map((request) => request.status);
      // A refusal is logged by Chromium (the status) and once by the element (its code, status and
      // message, as it warns of every error): neither is a problem of the page.
      const refusal = /status of 403|^warning: <chartio-embed> token error origin_not_allowed \(HTTP 403\)/;
      return { log, statuses, problems: problems.filter((problem) => !refusal.test(problem)) };
    } finally {
      await close();
    }
  }

  test('the quoted configurations keep Host (no changeOrigin), and point /embed-token at the backend', () => {
    assert.deepEqual(configs.vite, { '/embed-token': { target: 'http://localhost:3000' } });
    assert.deepEqual(configs.angular, { '/embed-token': { target: 'http://localhost:3000', secure: false } });
  });

  for (const name of ['vite', 'angular'] as const) {
    test(`${name}: with Host kept, the endpoint's default (its own origin) answers and the dashboard loads`, async () => {
      proxy.use(configs[name], strict.appOrigin);
      const { log, statuses, problems } = await throughProxy(strict, 'load');
      assert.deepEqual(log, { loads: '1', tokens: '1', lastToken: 'new', errors: '0', lastError: 'none' });
      assert.deepEqual(statuses, [200], 'the token request went through the proxy');
      assert.deepEqual(problems, []);
    });
  }

  const rewriting: Record<string, ProxyConfig> = {
    "Vite's string shorthand": { '/embed-token': 'http://localhost:3000' },
    'changeOrigin: true in proxy.conf.json': { '/embed-token': { target: 'http://localhost:3000', secure: false, changeOrigin: true } },
  };
  for (const [name, config] of Object.entries(rewriting)) {
    test(`${name} rewrites Host: the default endpoint refuses with 403 origin_not_allowed, allowedOrigins lets it in`, async () => {
      proxy.use(config, strict.appOrigin);
      const refused = await throughProxy(strict, 'error');
      assert.equal(refused.log.lastError, 'token: origin_not_allowed (403)');
      assert.deepEqual(refused.statuses, [403]);
      assert.deepEqual(refused.problems, []);

      proxy.use(config, allowing.appOrigin);
      const allowed = await throughProxy(allowing, 'load');
      assert.deepEqual(allowed.log, { loads: '1', tokens: '1', lastToken: 'new', errors: '0', lastError: 'none' });
      assert.deepEqual(allowed.statuses, [200]);
      assert.deepEqual(allowed.problems, []);
    });
  }
});
