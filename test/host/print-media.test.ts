/**
 * The print stylesheet of the host's pages (src/host/page/exports-style.ts), in real Chromium
 * under the host's CSP with print media emulated (what the browser lays out for its print dialog
 * and "Save as PDF"): each chart kept whole on a page, the light theme's colours even when the
 * viewer's theme is dark, and no buttons; on screen, the dark theme and the buttons stay.
 * Run: node --import tsx --test test/host/print-media.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import type { DataSource } from '../../src/host/index.js';
import { dashboardPath, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';

let database: DataSource;
let served: ServedHost;
let browser: Browser;

const LIGHT_BACKGROUND = 'rgb(255, 255, 255)';
const DARK_BACKGROUND = 'rgb(17, 24, 39)';
const LIGHT_TEXT = 'rgb(31, 41, 51)';

before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database });
  browser = await chromium.launch({ executablePath: findChromium() ?? 'chromium (set CHROME_PATH)', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await served?.close();
  await database?.close();
});

/** What print changes, read from the page. */
function looks(page: Page): Promise<{ background: string; text: string; charts: string[]; buttons: string[] }> {
  // A string, not a function: tsx's helpers (`__name`) do not exist in the page.
  return page.evaluate(`({
    background: getComputedStyle(document.documentElement).backgroundColor,
    text: getComputedStyle(document.documentElement).color,
    charts: [...document.querySelectorAll('figure.chart')].map((figure) => getComputedStyle(figure).breakInside),
    buttons: [...document.querySelectorAll('button')].map((button) => getComputedStyle(button).display),
  })`);
}

test('print media: charts whole, light colours in the dark theme, no buttons; the screen keeps its dark theme', async () => {
  const token = await signToken({ now: Date.now }, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // (A favicon's 404 is not the page's.)
  page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && errors.push(message.text()));
  await page.goto(`${served.origin}${dashboardPath(OVERVIEW, token)}#theme=dark`);
  await page.waitForSelector('figure.chart button.download');
  const screen = await looks(page);
  assert.equal(screen.background, DARK_BACKGROUND);
  assert.ok(screen.buttons.length >= 3, 'the CSV and image buttons');
  assert.ok(screen.buttons.every((display) => display !== 'none'));
  assert.ok(screen.charts.every((value) => value === 'auto'));

  await page.emulateMedia({ media: 'print' });
  const print = await looks(page);
  assert.equal(print.background, LIGHT_BACKGROUND);
  assert.equal(print.text, LIGHT_TEXT);
  assert.equal(print.charts.length, 6);
  assert.deepEqual(new Set(print.charts), new Set(['avoid']));
  assert.deepEqual(new Set(print.buttons), new Set(['none']));

  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(await looks(page), screen);
  // The print stylesheet is in the page's one hashed style: the CSP refused nothing.
  assert.deepEqual(errors, []);
  await page.close();
});
