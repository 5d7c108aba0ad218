/**
 * `refresh()` in place and the `auto-refresh` attribute, with time under the test's control:
 * refresh() gives the page on show its (re-asked) token with `fresh` (`chartio:token`), in place;
 * auto-refresh calls refresh() every interval while the tab is visible, pauses while it is
 * hidden, catches up on show, and raises an interval below 30 s to 30 s with a warning.
 */
import { expect } from '@open-wc/testing';
import type { ChartioEmbedElement } from '../../src/element/index.js';
import { ENDPOINT, baseUrl, frames, isolateEachTest, mount, newDashboard, next, received, watchWarnings } from './support/harness.js';

describe('<chartio-embed> refresh() and auto-refresh', () => {
  const time = isolateEachTest();
  // The tab's visibility, the test's to set (an own property over the document's getter).
  let hidden = false;
  beforeEach(() => {
    hidden = false;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  });
  afterEach(() => {
    delete (document as unknown as { visibilityState?: string }).visibilityState;
  });

  const attributes = (id: number, more: Record<string, string> = {}) => ({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), ...more });
  const setVisibility = (isHidden: boolean) => {
    hidden = isHidden;
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  };
  /** Counts the element's refresh() calls (the auto-refresh timer calls the element's own method). */
  const countRefreshes = (element: ChartioEmbedElement) => {
    const counter = { calls: 0 };
    element.refresh = () => void counter.calls++;
    return counter;
  };

  it('refresh() gives the page on show its token with fresh, in place', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id));
    await next(element, 'chartio-load');
    const shown = frames(element).shown!;
    const posted: Record<string, unknown>[] = [];
    shown.contentWindow!.addEventListener('message', (event) => posted.push(event.data));
    // The test server's page cannot update in place: it answers with an error, and the element
    // loads the same URL in a new frame instead, as for any failure in place.
    const loaded = next(element, 'chartio-load');
    element.refresh();
    await loaded;
    const token = new URL(frames(element).shown!.src).searchParams.get('embed_token');
    expect(posted[0]).to.deep.equal({ type: 'chartio:token', version: 1, token, fresh: true });
    expect(await received()).to.have.length(2, 'the token endpoint was asked again, bypassing the cache');
  });

  it('auto-refresh calls refresh() every interval while visible, pauses while hidden and catches up on show', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id, { 'auto-refresh': '45' }));
    await next(element, 'chartio-load');
    const refreshes = countRefreshes(element);
    time.tick(44_000);
    expect(refreshes.calls).to.equal(0);
    time.tick(1_000);
    expect(refreshes.calls).to.equal(1);
    time.tick(45_000);
    expect(refreshes.calls).to.equal(2);

    setVisibility(true);
    time.tick(300_000);
    expect(refreshes.calls).to.equal(2, 'nothing while the tab is hidden');
    setVisibility(false);
    time.tick(0);
    expect(refreshes.calls).to.equal(3, 'overdue on show: at once');
    time.tick(44_000);
    expect(refreshes.calls).to.equal(3);
    time.tick(1_000);
    expect(refreshes.calls).to.equal(4);

    // Shown again before the interval is over: the refresh waits for its time.
    time.tick(10_000);
    setVisibility(true);
    setVisibility(false);
    time.tick(34_000);
    expect(refreshes.calls).to.equal(4);
    time.tick(1_000);
    expect(refreshes.calls).to.equal(5);
  });

  it('auto-refresh below 30 s warns and refreshes every 30 s; removing it stops the timer', async () => {
    const warnings = watchWarnings();
    const id = newDashboard();
    const element = await mount(attributes(id, { 'auto-refresh': '5' }));
    await next(element, 'chartio-load');
    expect(warnings.map((args) => String(args[0]))).to.deep.include('<chartio-embed> auto-refresh="5" is below 30 seconds: refreshing every 30 seconds');
    const refreshes = countRefreshes(element);
    time.tick(29_000);
    expect(refreshes.calls).to.equal(0);
    time.tick(1_000);
    expect(refreshes.calls).to.equal(1);
    element.removeAttribute('auto-refresh');
    await element.updateComplete;
    time.tick(120_000);
    expect(refreshes.calls).to.equal(1);
  });

  it('an auto-refresh that is not a number warns and stays off', async () => {
    const warnings = watchWarnings();
    const id = newDashboard();
    const element = await mount(attributes(id, { 'auto-refresh': 'often' }));
    await next(element, 'chartio-load');
    expect(warnings.map((args) => String(args[0]))).to.deep.include('<chartio-embed> auto-refresh must be a number of seconds (at least 30), got often: auto-refresh is off');
    const refreshes = countRefreshes(element);
    time.tick(600_000);
    expect(refreshes.calls).to.equal(0);
  });
});
