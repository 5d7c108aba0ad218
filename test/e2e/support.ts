/**
 * What the end-to-end tests share: the demo started on free ports, Debian's Chromium driven by
 * playwright-core, and small readers of what a user sees in the embedded dashboard.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/browsers.mjs';
import { startDemo, type RunningDemo } from '../../demo/demo.js';

export const SECRET = 'e2e-secret-e2e-secret-e2e-secret-0123456789';

/**
 * Starts the demo (free ports, a known secret, fault injection) and a headless Chromium.
 * @example
 * const { demo, browser, faults } = await startAll(); … await stopAll(demo, browser);
 */
export async function startAll(): Promise<{ demo: RunningDemo; browser: Browser; faults: { tokenFailures: number } }> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: set CHROME_PATH or `apt-get install -y chromium`.');
  const faults = { tokenFailures: 0 };
  const [demo, browser] = await Promise.all([
    startDemo({ port: 0, dashboardPort: 0, secret: SECRET, faults }),
    chromium.launch({ executablePath, args: CHROMIUM_ARGS }),
  ]);
  return { demo, browser, faults };
}

/** The dashboard frame on show (not the next one loading behind it). */
export function shownFrame(page: Page): Frame {
  const frames = page.frames().filter((frame) => frame !== page.mainFrame());
  const shown = frames.filter((frame) => !frame.isDetached());
  if (shown.length === 0) throw new Error('no dashboard frame');
  return shown[shown.length - 1]!;
}

/**
 * Waits for the element's next `chartio-load` after `action`, and returns the frame then shown:
 * a new one, or the same one showing the new filters in place (its URL names the new token).
 */
export async function loadAfter(page: Page, action: () => Promise<unknown>): Promise<Frame> {
  const loaded = page.evaluate(
    () => new Promise<void>((resolve) => document.querySelector('chartio-embed')!.addEventListener('chartio-load', () => resolve(), { once: true })),
  );
  await action();
  await loaded;
  // Playwright's CSS selectors pierce the element's shadow root.
  const frame = await (await page.$('chartio-embed iframe:not(.next)'))?.contentFrame();
  if (!frame) throw new Error('no dashboard frame on show');
  return frame;
}

/** The text of a number chart, by title: `'1,469'`. */
export async function numberChart(frame: Frame, title: string): Promise<string> {
  return frame.locator('figure.chart-number', { has: frame.locator('h2', { hasText: title }) }).locator('.value').innerText();
}

/** Saves a screenshot under test-results/ (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: `test-results/${name}.png` });
}
