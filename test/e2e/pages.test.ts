/**
 * Every page of `npm start`'s demo as a visitor opens it: the app page and the four framework
 * pages, each shown with its dashboard loaded and saved as a screenshot under
 * test-results/pages/ (git-ignored, to look at), with nothing in the console: no error, no
 * warning, no failed request (a missing favicon would be one), and no uncaught exception.
 * Run: node --import tsx --test test/e2e/pages.test.ts
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { RunningDemo } from '../../demo/demo.js';
import { FRAMEWORKS } from '../../demo/frameworks/frameworks.js';
import { numberChart, shownFrame, startAll } from './support.js';

let demo: RunningDemo;
let browser: Browser;

before(async () => {
  ({ demo, browser } = await startAll());
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

/** Waits until the page's own script or component reports its dashboard's first `chartio-load`. */
const LOADED: Record<string, (page: Page) => Promise<unknown>> = {
  app: (page) => page.waitForFunction(() => document.getElementById('status')?.getAttribute('data-loaded') === 'true'),
  ...Object.fromEntries(FRAMEWORKS.map((name) => [name, (page: Page) => page.waitForFunction(() => document.getElementById('load-count')?.textContent === '1')])),
};

const PAGES: Array<[name: string, path: string]> = [['app', '/'], ...FRAMEWORKS.map((name): [string, string] => [name, `/frameworks/${name}`])];

for (const [name, path] of PAGES) {
  test(`${path}: shows its dashboard with a favicon and a quiet console (test-results/pages/${name}.png)`, async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`);
      });

      await page.goto(`${demo.appUrl}${path}`);
      await LOADED[name]!(page);
      // The dashboard itself, not an error page: its first number chart has a value.
      assert.match(await numberChart(shownFrame(page), 'Completed orders'), /^\d[\d,]*$/);
      // The favicon is in the page, so the browser never asks the server for /favicon.ico.
      assert.match((await page.locator('head link[rel="icon"]').getAttribute('href')) ?? '', /^data:image\/svg\+xml,/);
      // The page is styled by the demo app's stylesheet: its dark header bar.
      assert.equal(await page.locator('body > header').evaluate((header) => getComputedStyle(header).backgroundColor), 'rgb(29, 36, 48)');

      await mkdir('test-results/pages', { recursive: true });
      await page.screenshot({ path: `test-results/pages/${name}.png` });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
