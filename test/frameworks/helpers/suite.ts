/**
 * The scenario every framework page must pass, in real Chromium against the real token endpoint
 * and dashboard host. Each framework's test file runs it for its own page; the page drives the
 * element only through its framework (bindings, event handlers, conditional rendering), and the
 * tests read what the framework component itself rendered from the events it received.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { frameworkTitle, type Framework } from '../../../demo/frameworks/frameworks.js';
import { embeds, eventLog, launchChromium, liveTimers, openPage, tokenEnv, waitForText, windowListeners, type OpenPage } from './browser.js';
import { ACCOUNT, DATE_RANGE, OVERVIEW, REFUSED, startFrameworkServers, type FrameworkServers } from './servers.js';

/**
 * Defines the framework page tests for `framework`.
 * @example
 * frameworkSuite('vue'); // in test/frameworks/vue.test.ts
 */
export function frameworkSuite(framework: Framework): void {
  describe(`<chartio-embed> in ${frameworkTitle(framework)}`, () => {
    let servers: FrameworkServers;
    let browser: Browser;

    before(async () => {
      [servers, browser] = await Promise.all([startFrameworkServers(), launchChromium()]);
    });
    after(async () => {
      await browser?.close();
      await servers?.close();
    });

    /** Opens the page and waits for the first `chartio-load` to reach the component's state. */
    async function openMounted(): Promise<OpenPage> {
      const opened = await openPage(browser, `${servers.appOrigin}/frameworks/${framework}`);
      await waitForText(opened.page, 'load-count', '1').catch(async (error: Error) => {
        // A page that never mounts says why in its console: put that in the failure.
        await opened.close();
        throw new Error(`${error.message}\nThe page printed: ${opened.problems.join('\n') || 'nothing'}`);
      });
      return opened;
    }

    /** Unchecks "Show dashboard" (the framework removes the element) and waits until it is gone. */
    async function unmount(page: Page): Promise<void> {
      await page.click('#show');
      await page.waitForFunction(() => document.querySelector('chartio-embed') === null);
    }

    test('mounts one element with one frame, signed for the locked account; chartio-load and chartio-token reach the component', async () => {
      const marks = { signed: servers.signed.items.length, tokens: servers.tokens.requests.items.length, dashboards: servers.dashboards.requests.items.length };
      const { page, problems, close } = await openMounted();

      assert.deepEqual(await eventLog(page), { loads: '1', tokens: '1', lastToken: 'new', errors: '0', lastError: 'none' });
      const { elements, frames } = await embeds(page);
      assert.equal(elements, 1);
      assert.equal(frames.length, 1, 'exactly one iframe, double mount (React StrictMode) or not');
      assert.ok(frames[0]!.startsWith(`${servers.dashboardOrigin}/d/${OVERVIEW}/?embed_token=`), frames[0]);
      assert.deepEqual(tokenEnv(frames[0]!), { DATE_RANGE, ACCT_ID: ACCOUNT });
      // One token request, one signing, one dashboard page: nothing fetched twice.
      assert.deepEqual(servers.signed.since(marks.signed), [{ dashboard: OVERVIEW, env: { DATE_RANGE, ACCT_ID: ACCOUNT } }]);
      assert.deepEqual(servers.tokens.requests.since(marks.tokens).map((request) => request.status), [200]);
      const pages = servers.dashboards.requests.since(marks.dashboards).filter((request) => request.path.startsWith('/d/'));
      assert.deepEqual(pages.map((request) => request.status), [200]);
      // The real dashboard rendered inside the frame.
      const dashboard = page.frames().find((frame) => frame.url() === frames[0]);
      assert.equal(await dashboard?.locator('main h1').innerText(), 'Account overview');

      await unmount(page);
      assert.equal(await liveTimers(page), 0, 'no element timer left after unmounting');
      assert.equal(servers.tokens.inFlight() + servers.dashboards.inFlight(), 0, 'no request in flight');
      assert.deepEqual(problems, []);
      await close();
    });

    test('the user picker, bound to the filter-user-id attribute, gets a token for the new filters and swaps the frame', async () => {
      const { page, problems, close } = await openMounted();
      const before = (await embeds(page)).frames[0]!;
      const mark = servers.signed.items.length;

      await page.selectOption('#user', '7');
      await waitForText(page, 'load-count', '2');
      assert.equal(await page.getAttribute('chartio-embed', 'filter-user-id'), '7', 'bound as an attribute');
      assert.deepEqual(servers.signed.since(mark), [{ dashboard: OVERVIEW, env: { DATE_RANGE, USER_ID: '7', ACCT_ID: ACCOUNT } }]);
      const { frames } = await embeds(page);
      assert.equal(frames.length, 1, 'the old frame is gone after the swap');
      assert.notEqual(frames[0], before, 'the frame shows another token (in place)');
      assert.equal(tokenEnv(frames[0]!).USER_ID, '7');

      // "All users": the framework drops the attribute, and the first token comes back from the page's cache.
      await page.selectOption('#user', '');
      await waitForText(page, 'load-count', '3');
      assert.equal(await page.getAttribute('chartio-embed', 'filter-user-id'), null, 'the attribute is removed');
      assert.equal((await eventLog(page)).lastToken, 'reused');
      assert.equal(servers.signed.items.length, mark + 1, 'no new token for filters seen before');
      assert.deepEqual((await embeds(page)).frames, [before]);
      assert.deepEqual(problems, []);
      await close();
    });

    test('the date range, bound to the filters property, gets a token for the new filters and swaps the frame', async () => {
      const { page, problems, close } = await openMounted();
      const before = (await embeds(page)).frames[0]!;
      const mark = servers.signed.items.length;

      await page.fill('#date-from', '2015-03-01');
      await waitForText(page, 'load-count', '2');
      const range = ['2015-03-01', DATE_RANGE[1]];
      const bound = await page.evaluate(() => {
        const element = document.querySelector('chartio-embed')!;
        return { filters: element.filters, attribute: element.getAttribute('filter-date-range'), attributes: element.getAttributeNames() };
      });
      assert.deepEqual(bound.filters, { DATE_RANGE: range }, 'bound as the filters property');
      assert.equal(bound.attribute, null, 'not as an attribute');
      assert.deepEqual(servers.signed.since(mark), [{ dashboard: OVERVIEW, env: { DATE_RANGE: range, ACCT_ID: ACCOUNT } }]);
      const { frames } = await embeds(page);
      assert.equal(frames.length, 1);
      assert.notEqual(frames[0], before, 'the frame shows another token (in place)');
      assert.deepEqual(tokenEnv(frames[0]!).DATE_RANGE, range);
      assert.deepEqual(problems, []);
      await close();
    });

    test('a dashboard the endpoint refuses (403) reaches the component as chartio-error; going back recovers', async () => {
      const { page, problems, close } = await openMounted();
      const marks = { signed: servers.signed.items.length, tokens: servers.tokens.requests.items.length };

      await page.selectOption('#dashboard', String(REFUSED));
      await waitForText(page, 'error-count', '1');
      assert.equal((await eventLog(page)).lastError, 'token: dashboard_not_allowed (403)');
      assert.deepEqual(servers.tokens.requests.since(marks.tokens).map((request) => request.status), [403]);
      assert.equal(servers.signed.items.length, marks.signed, 'nothing signed');
      assert.ok(await page.locator('chartio-embed [part=error]').isVisible(), 'the element shows its error state');

      // Back to the first dashboard: its token is still in the page's cache, its frame still there.
      await page.selectOption('#dashboard', String(OVERVIEW));
      await waitForText(page, 'token-count', '2');
      assert.equal((await eventLog(page)).lastToken, 'reused');
      await page.locator('chartio-embed [part=error]').waitFor({ state: 'detached' });
      assert.equal((await embeds(page)).frames.length, 1);
      assert.equal(servers.tokens.requests.items.length, marks.tokens + 1, 'no new token request');
      // Chromium logs the refused request itself, and the element warns once with the code, status
      // and message; nothing else may have complained.
      assert.deepEqual(problems.filter((problem) => !/status of 403/.test(problem) && !/^warning: <chartio-embed> token error dashboard_not_allowed \(HTTP 403\)/.test(problem)), []);
      await close();
    });

    test('unmounting with a token request in flight aborts it and leaves no timer, listener or request behind; remounting loads once', async () => {
      const { page, problems, close } = await openMounted();
      const mounted = await windowListeners(page);
      const mark = servers.tokens.requests.items.length;
      const held = servers.tokens.gate.held.items.length;

      servers.tokens.gate.arm();
      await page.fill('#date-from', '2015-05-01');
      await servers.tokens.gate.held.next(held);
      assert.equal(await liveTimers(page), 1, 'the token request timeout is pending (the counter sees it)');

      await unmount(page);
      const dropped = await servers.tokens.requests.next(mark);
      servers.tokens.gate.release();
      assert.equal(dropped.aborted, true, 'the browser aborted the token request');
      assert.equal(await liveTimers(page), 0, 'no element timer left');
      const unmounted = await windowListeners(page);
      for (const type of Object.keys(mounted)) assert.equal(unmounted[type], mounted[type]! - 1, `the element removed its ${type} listener`);
      assert.equal(servers.tokens.inFlight() + servers.dashboards.inFlight(), 0, 'no request in flight');
      assert.deepEqual(await eventLog(page), { loads: '1', tokens: '1', lastToken: 'new', errors: '0', lastError: 'none' }, 'an unmount is not an error');

      // The framework kept the filters: remounting asks for them once and shows one frame.
      await page.click('#show');
      await waitForText(page, 'load-count', '2');
      const { elements, frames } = await embeds(page);
      assert.equal(elements, 1);
      assert.equal(frames.length, 1);
      assert.deepEqual(tokenEnv(frames[0]!).DATE_RANGE, ['2015-05-01', DATE_RANGE[1]]);
      assert.deepEqual(problems, []);
      await close();
    });

    test('unmounting while the dashboard frame loads drops the frame and its load timer', async () => {
      const { page, problems, close } = await openMounted();
      const mark = servers.dashboards.requests.items.length;
      const held = servers.dashboards.gate.held.items.length;

      servers.dashboards.gate.arm();
      await page.selectOption('#user', '9');
      await servers.dashboards.gate.held.next(held);
      assert.equal(await liveTimers(page), 1, 'the frame load timeout is pending (the counter sees it)');

      await unmount(page);
      const dropped = await servers.dashboards.requests.next(mark);
      servers.dashboards.gate.release();
      assert.equal(dropped.aborted, true, 'the browser dropped the dashboard request');
      assert.equal(await liveTimers(page), 0, 'no element timer left');
      assert.equal(servers.tokens.inFlight() + servers.dashboards.inFlight(), 0, 'no request in flight');
      assert.equal((await eventLog(page)).errors, '0');
      assert.deepEqual(problems, []);
      await close();
    });
  });
}
