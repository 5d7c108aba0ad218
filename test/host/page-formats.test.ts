/**
 * The formats contract, end to end in Chromium: the server renders en-US text with each value's
 * raw form and format key; the page's re-formatter (`reformat` in src/page/reformat.ts, which the
 * page script bundles) turns them into another locale's text with Intl, exactly as the server would have, with
 * no request; and back to en-US gives the server's own text. (The page script applying a locale
 * from the frame's URL or a `chartio:appearance` message: test/host/page-appearance.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { formatKeyed } from '../../src/host/page/format-value.js';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { DataSource } from '../../src/host/index.js';
import { EVERY_CHART, everyChartDashboard } from './helpers/every-chart-dashboard.js';
import { dashboardPath, openDemoDatabase, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
let served: ServedHost;
let browser: Browser;
let page: Page;
let requests = 0;

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, dashboards: [everyChartDashboard()] });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  const token = await signToken({ now: Date.now }, { dashboard: EVERY_CHART, env: { ACCT_ID: '7' } });
  await page.goto(served.origin + dashboardPath(EVERY_CHART, token), { waitUntil: 'load' });
  page.on('request', () => requests++);
});

after(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

interface Shown {
  key: string;
  raw: string;
  text: string;
}

/** Every formatted element's key, raw value and text, in page order; spaces compared as spaces. */
function formattedCells(): Promise<Shown[]> {
  return page.$$eval('[data-value][data-format]', (elements) =>
    elements.map((element) => ({
      key: (element as HTMLElement).dataset.format!,
      raw: (element as HTMLElement).dataset.value!,
      text: element.textContent!.replace(/\s/g, ' '),
    })),
  );
}

// The page runtime's re-formatter alone, as a script that defines `pageReformat.reformat`.
const REFORMAT_BUNDLE = (
  await build({
    entryPoints: [fileURLToPath(new URL('../../src/page/reformat.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'pageReformat',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  })
).outputFiles[0]!.text;
const reformat = (locale: string) => page.evaluate(`${REFORMAT_BUNDLE}; pageReformat.reformat(document, ${JSON.stringify(locale)})`);
const spaces = (text: string) => text.replace(/\s/g, ' ');

test('the server renders en-US text, and every key the page uses is in its dictionary', async () => {
  const cells = await formattedCells();
  const keys = new Set(cells.map((cell) => cell.key));
  for (const key of ['currency:USD', 'currency:USD:0', 'date:month', 'percent:1', 'id', 'date:day', 'currency:EUR', 'number:1']) assert.ok(keys.has(key), key);
  for (const cell of cells) assert.equal(cell.text, spaces(formatKeyed(cell.key, cell.raw, 'en-US')), `${cell.key} ${cell.raw}`);
  const dictionary = await page.$eval('.charts', (element) => JSON.parse((element as HTMLElement).dataset.formats!));
  assert.deepEqual(Object.keys(dictionary).sort(), [...keys].sort());
  assert.equal(await page.$eval('.charts', (element) => (element as HTMLElement).dataset.locale), 'en-US');
});

test('re-formatting for de-DE gives what the server gives for de-DE, with no request; en-US restores the page', async () => {
  const before = await formattedCells();
  await reformat('de-DE');
  const after = await formattedCells();
  for (const [index, cell] of after.entries()) {
    assert.equal(cell.text, spaces(formatKeyed(cell.key, cell.raw, 'de-DE')), `${cell.key} ${cell.raw}`);
    assert.equal(cell.raw, before[index]!.raw, 'the raw values stay');
  }
  const euro = after.find((cell) => cell.key === 'currency:EUR')!;
  assert.match(euro.text, /^\d{1,3}(\.\d{3})*,\d\d €$/, 'German separators and the euro sign after the amount');
  assert.match(after.find((cell) => cell.key === 'date:day')!.text, /^\d\d\.\d\d\.\d{4}$/);
  assert.notDeepEqual(after.map((cell) => cell.text), before.map((cell) => cell.text));
  assert.equal(await page.$eval('.charts', (element) => (element as HTMLElement).dataset.locale), 'de-DE');

  await reformat('en-US');
  assert.deepEqual(await formattedCells(), before);
  assert.equal(requests, 0, 'no request: no token, no query');
});

test('an invalid locale throws a RangeError and changes nothing', async () => {
  const before = await formattedCells();
  await assert.rejects(reformat('not a locale!'), /RangeError/);
  assert.deepEqual(await formattedCells(), before);
});
