/**
 * The README's quick start as a new user runs it, outside the repository: the quick start
 * extracted from the packed tarball by the README's own command into a fresh temp folder, the
 * tarball installed there (in place of the registry, which does not have this build), `npm start`,
 * and the dashboard's numbers in Chromium, checked against sums over the CSV file made here.
 * `npm install` reaches the npm registry, from the npm cache first (`--prefer-offline`): after
 * the repository's own `npm ci`, every package it needs is there.
 * Run after `npm run build`: node --import tsx --test test/package/quickstart.test.ts
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { packPackage, root, type PackedPackage } from './support/pack.js';

const run = promisify(execFile);
/** The longest `npm install` may take: from the cache it takes seconds. */
const INSTALL_TIMEOUT_MS = 100_000;

let packed: PackedPackage;
let folder: string;
let installLog: string;
/** The quick start's files as the tarball holds them (npm install rewrites package.json). */
const extracted = new Map<string, string>();
const QUICKSTART_FILES = ['package.json', 'server.mjs', 'index.html', 'orders.csv', 'dashboards/sales.json', 'make-database.mjs'];
let browser: Browser;

before(async () => {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or `apt-get install -y chromium`.');
  [packed, browser] = await Promise.all([packPackage(), chromium.launch({ executablePath, args: CHROMIUM_ARGS })]);
  const work = join(packed.dir, '..');
  // The README's commands: `npm pack chartio-embed` is the tarball packed here; its `tar` line runs as written.
  const [extract, start] = (await quickstartCommands()).split('\n');
  assert.match(extract!, /^npm pack chartio-embed && /);
  await run('bash', ['-c', extract!.replace(/^npm pack chartio-embed && /, '')], { cwd: work });
  assert.match(start!, /^cd quickstart && npm install && npm start\b/);
  folder = join(work, 'quickstart');
  for (const file of QUICKSTART_FILES) extracted.set(file, await readFile(join(folder, file), 'utf8'));
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', packed.tarball], {
    cwd: folder,
    timeout: INSTALL_TIMEOUT_MS,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  }).catch((error: { stderr?: string; killed?: boolean }) => {
    throw new Error(error.killed ? `npm install took over ${INSTALL_TIMEOUT_MS / 1000} s (is the registry reachable?)` : `npm install failed:\n${error.stderr}`);
  });
  installLog = install.stdout + install.stderr;
});

after(async () => {
  await browser?.close();
  await packed?.remove();
});

/** The README's quick-start commands block. */
async function quickstartCommands(): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const block = /<!-- docs-test: quickstart -->\n```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'the README has a quick-start commands block');
  return block[1]!.trim();
}

/** Sums over orders.csv for account 1 (the quick start's locked ACCT_ID) in one year, as the dashboard shows them. */
async function expected(year: string): Promise<{ orders: string; revenue: string }> {
  const [header, ...lines] = (await readFile(join(root, 'examples/quickstart/orders.csv'), 'utf8')).trim().split('\n');
  assert.equal(header, 'order_id,account_id,ordered_on,product,amount');
  const rows = lines.map((line) => line.split(',')).filter(([, account, day]) => account === '1' && day!.startsWith(`${year}-`));
  const format = new Intl.NumberFormat('en-US').format;
  return { orders: format(rows.length), revenue: format(rows.reduce((sum, row) => sum + Number(row[4]), 0)) };
}

/** Runs `npm start` in the quick start on free ports; resolves with the app's URL once it listens. */
async function startQuickstart(env: Record<string, string> = {}): Promise<{ appUrl: string; stop(): Promise<void> }> {
  // Its own process group, so stopping it stops node under npm under sh.
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: folder,
    env: { ...process.env, PORT: '0', DASHBOARD_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  };
  const appUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /Open (http:\/\/localhost:\d+) /.exec(output);
      if (match) resolve(match[1]!);
    });
    exited.then(() => reject(new Error(`npm start exited:\n${output}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { appUrl, stop };
}

/** The text of a number chart in the dashboard frame, by its title. */
function numberChart(frame: Frame, title: string): Promise<string> {
  return frame.locator('figure.chart-number', { has: frame.locator('h2', { hasText: title }) }).locator('.value').innerText();
}

/** Counts, from the page's start, every `chartio-load` (they bubble to the document). */
async function recordLoads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    (window as unknown as { loads: number }).loads = 0;
    document.addEventListener('chartio-load', () => (window as unknown as { loads: number }).loads++);
  });
}

/**
 * Waits for the page's `count`th `chartio-load`, and returns the dashboard frame then on show: a
 * new one, or the same one showing the new filters in place (its page names the new token).
 */
async function load(page: Page, count: number): Promise<Frame> {
  await page.waitForFunction((count) => (window as unknown as { loads: number }).loads >= count, count);
  // Playwright's CSS selectors pierce the element's shadow root.
  const frame = await (await page.$('chartio-embed iframe:not(.next)'))?.contentFrame();
  assert.ok(frame, 'a dashboard frame is on show');
  return frame;
}

/** Opens the quick start's page and checks the dashboard for both years of the page's picker. */
async function checkDashboard(appUrl: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await recordLoads(page);
    await page.goto(appUrl);
    const first = await load(page, 1);
    const y2025 = await expected('2025');
    assert.equal(await numberChart(first, 'Orders'), y2025.orders);
    assert.equal(await numberChart(first, 'Revenue (USD)'), y2025.revenue);
    await mkdir(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/quickstart.png'), fullPage: true });

    await page.selectOption('#year', '2024');
    const second = await load(page, 2);
    const y2024 = await expected('2024');
    assert.notDeepEqual(y2024, y2025, 'the years differ, so the filter is seen');
    assert.equal(await numberChart(second, 'Orders'), y2024.orders);
    assert.equal(await numberChart(second, 'Revenue (USD)'), y2024.revenue);
    const drawings = second.locator('figure.chart-line .chart-svg, figure.chart-bar .chart-svg');
    assert.equal(await drawings.count(), 2, 'the line and bar charts are drawn (by the host, as SVG)');
    assert.ok((await drawings.locator('svg').count()) >= 2, 'each drawing holds its SVG');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

test('the tarball ships the quick start, and installing it runs no script and prints no warning', async () => {
  for (const file of QUICKSTART_FILES) assert.equal(extracted.get(file), await readFile(join(root, 'examples/quickstart', file), 'utf8'), file);
  assert.doesNotMatch(installLog, /install-scripts|prepare/i, installLog);
  // Its versions of the optional peers are ones the package accepts.
  const quickstart = JSON.parse(await readFile(join(root, 'examples/quickstart/package.json'), 'utf8'));
  const pkg = JSON.parse(await readFile(join(packed.dir, 'package.json'), 'utf8'));
  assert.equal(quickstart.dependencies['chartio-embed'], `^${pkg.version}`);
  for (const peer of ['@duckdb/node-api', 'echarts']) {
    const installed = JSON.parse(await readFile(join(folder, 'node_modules', peer, 'package.json'), 'utf8'));
    assert.equal(installed.version, quickstart.dependencies[peer], `${peer} as the quick start pins it`);
    assert.ok(pkg.peerDependencies[peer], `${peer} is a peer of chartio-embed`);
  }
});

test('CommonJS can require the server and host entries (Node >= 20.19 loads ES modules)', async () => {
  const { stdout } = await run(process.execPath, ['-e', 'console.log(typeof require("chartio-embed/server").createTokenHandler, typeof require("chartio-embed/host").createDashboardHost)'], { cwd: folder });
  assert.equal(stdout.trim(), 'function function');
});

test('npm start: the page shows the dashboard with the numbers from the CSV, in memory, and its year filter changes them', async () => {
  const server = await startQuickstart();
  try {
    await checkDashboard(server.appUrl);
  } finally {
    await server.stop();
  }
});

test('make-database.mjs makes the DuckDB file, and DUCKDB_FILE serves the same numbers from it, read-only', async () => {
  await run(process.execPath, ['make-database.mjs'], { cwd: folder });
  // Without the CSV, the numbers can only come from the file.
  await rm(join(folder, 'orders.csv'));
  const server = await startQuickstart({ DUCKDB_FILE: 'analytics.duckdb' });
  try {
    await checkDashboard(server.appUrl);
  } finally {
    await server.stop();
  }
});
