/**
 * Debian's Chromium for the framework tests (playwright-core), and what the tests read from a
 * framework page: the component's own event log, the element's frames, its live timers and the
 * window listeners it holds.
 * @module
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../../scripts/browsers.mjs';

/**
 * Launches headless Chromium; a missing browser fails the tests, never skips them.
 * @example
 * const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or `apt-get install -y chromium`.');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A framework page and the console errors and warnings it printed. */
export interface OpenPage {
  page: Page;
  problems: string[];
  close(): Promise<void>;
}

/**
 * Opens `url` in a fresh context (its own token cache and cookies) and collects every console
 * error or warning: a framework that mishandles a custom element says so there.
 * @example
 * const { page, problems } = await openPage(browser, `${appOrigin}/frameworks/vue`);
 */
export async function openPage(browser: Browser, url: string): Promise<OpenPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(url);
  return { page, problems, close: () => context.close() };
}

/**
 * Waits until the element's `#id` in the component's own DOM reads `text`.
 * @example
 * await waitForText(page, 'load-count', '1');
 */
export async function waitForText(page: Page, id: string, text: string): Promise<void> {
  await page.waitForFunction(([id, text]) => document.getElementById(id!)?.textContent === text, [id, text] as const);
}

/**
 * The component's event log, as it rendered it.
 * @example
 * (await eventLog(page)).lastError; // 'token: dashboard_not_allowed (403)'
 */
export async function eventLog(page: Page): Promise<{ loads: string; tokens: string; lastToken: string; errors: string; lastError: string }> {
  // No helper function inside the callback: tsx names functions with a `__name` call the page lacks.
  const [loads, tokens, lastToken, errors, lastError] = await page.evaluate(() =>
    ['load-count', 'token-count', 'last-token', 'error-count', 'last-error'].map((id) => document.getElementById(id)?.textContent ?? ''),
  );
  return { loads: loads!, tokens: tokens!, lastToken: lastToken!, errors: errors!, lastError: lastError! };
}

/**
 * How many `<chartio-embed>` the document holds and the URL every frame inside them shows: its
 * `src`, or the URL its page moved to when it showed another token in place (the frame protocol's
 * in-place update names the new token with `history.replaceState`).
 * @example
 * const { elements, frames } = await embeds(page); // 1, ['http://127.0.0.1:…/d/38727/?embed_token=…']
 */
export async function embeds(page: Page): Promise<{ elements: number; frames: string[] }> {
  const elements = await page.$$('chartio-embed');
  const frames: string[] = [];
  for (const element of elements) {
    for (const iframe of await element.$$('iframe')) {
      const frame = await iframe.contentFrame();
      frames.push(frame?.url() || (await iframe.getAttribute('src')) || '');
    }
  }
  return { elements: elements.length, frames };
}

/**
 * The element's pending timers (see demo/frameworks/shared/live-timers.ts).
 * @example
 * assert.equal(await liveTimers(page), 0);
 */
export async function liveTimers(page: Page): Promise<number> {
  return page.evaluate(() => window.chartioLiveTimers!());
}

/**
 * How many listeners the window holds for each of the element's window events, read through the
 * DevTools protocol (the page itself cannot list listeners).
 * @example
 * await windowListeners(page); // { message: 1, online: 1, visibilitychange: 1 }
 */
export async function windowListeners(page: Page): Promise<Record<string, number>> {
  const session = await page.context().newCDPSession(page);
  try {
    const { result } = await session.send('Runtime.evaluate', { expression: 'window' });
    const { listeners } = await session.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    const counts: Record<string, number> = { message: 0, online: 0, visibilitychange: 0 };
    for (const { type } of listeners) if (type in counts) counts[type]!++;
    return counts;
  } finally {
    await session.detach();
  }
}

/**
 * The Hidden Variables a dashboard URL's token carries (its payload, read without verifying:
 * the dashboard host verified it when it served the page).
 * @example
 * tokenEnv('http://127.0.0.1:8081/d/38727/?embed_token=eyJ…'); // { ACCT_ID: '1', DATE_RANGE: [...] }
 */
export function tokenEnv(src: string): Record<string, unknown> {
  const token = new URL(src).searchParams.get('embed_token') ?? '';
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).env;
}
