/**
 * Life cycle and refresh: lazy loading, disconnect and reconnect, a framework's double mount,
 * `fetchToken`, `refresh()`, `reload()`, and the refresh modes with time under the test's control.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { ChartioEmbedElement, FetchTokenInput, TokenAnswer } from '../../src/element/index.js';
import {
  ENDPOINT,
  SESSION,
  attach,
  baseUrl,
  claimsOf,
  control,
  create,
  frames,
  hostUrl,
  isolateEachTest,
  mount,
  newDashboard,
  next,
  part,
  received,
  receivedAtLeast,
  record,
  requestsStarted,
  returnToTab,
  settle,
  waitUntil,
} from './support/harness.js';

/** 3600 s tokens are kept for 85 % of their life. */
const KEPT_MS = 3_600 * 850;

describe('<chartio-embed> life cycle', () => {
  const time = isolateEachTest();

  const attributes = (id: number, more: Record<string, string> = {}) => ({
    dashboard: String(id),
    'token-endpoint': ENDPOINT,
    'base-url': baseUrl(id),
    ...more,
  });

  it('with loading="lazy", asks for no token until the element nears the viewport', async () => {
    const id = newDashboard();
    const container = await fixture<HTMLDivElement>(html`<div><div style="height: 5000px"></div></div>`);
    const before = requestsStarted();
    const element = create(attributes(id, { loading: 'lazy' }));
    container.append(element);
    await element.updateComplete;
    // Two frames: the IntersectionObserver has reported the element's first position.
    await new Promise(requestAnimationFrame);
    await new Promise(requestAnimationFrame);
    await settle();
    expect(requestsStarted()).to.equal(before);
    expect(await received()).to.have.length(0);
    expect(part(element, 'loading')).to.not.equal(null);

    const loaded = next(element, 'chartio-load');
    element.scrollIntoView();
    await loaded;
    expect(await received()).to.have.length(1);
  });

  it('on disconnect aborts the request in flight and clears its timers; reconnecting resumes', async () => {
    const id = newDashboard();
    await control({ hold: true });
    const element = await mount(attributes(id));
    await receivedAtLeast(1);
    expect(time.pending).to.deep.equal([15_000]);
    const parent = element.parentElement!;
    element.remove();
    await waitUntil(async () => (await received())[0]!.aborted, 'the request was never aborted');
    await settle();
    expect(time.pending).to.deep.equal([]);

    await control({ hold: false });
    const loaded = next(element, 'chartio-load');
    parent.append(element);
    await loaded;
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    expect(await received()).to.have.length(2);
  });

  it('on disconnect clears a retry, a frame timer and a proactive refresh, and stops listening', async () => {
    const id = newDashboard();
    await control({ fail: [500] });
    const element = await mount(attributes(id, { refresh: 'proactive' }));
    await waitUntil(() => time.pending.length === 1 && time.pending[0] === 1000, 'no retry was planned');
    element.remove();
    expect(time.pending).to.deep.equal([]);

    // A frame loading, and a proactive refresh planned.
    element.setAttribute('base-url', `${location.origin}/hang/${SESSION}`);
    document.body.append(element);
    await next(element, 'chartio-token');
    expect(time.pending).to.deep.equal([15_000, KEPT_MS]);
    element.remove();
    expect(time.pending).to.deep.equal([]);
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(0);

    // Nothing left to act: `online` and a return to the tab do nothing. (That the window's
    // listeners are removed is counted through the DevTools protocol in test/frameworks.)
    const before = (await received()).length;
    const events = record(element, 'chartio-token', 'chartio-error', 'chartio-load');
    time.tick(KEPT_MS);
    dispatchEvent(new Event('online'));
    returnToTab();
    await settle();
    expect(events).to.deep.equal([]);
    expect(await received()).to.have.length(before);
  });

  it('leaves no timer and no window listener after removal: mid-batch, and mid-update in place', async () => {
    // Every listener the element adds to the window, and every one it removes, by type and function.
    const live = new Set<string>();
    const listeners = new Map<unknown, number>();
    const key = (type: string, listener: unknown) => {
      if (!listeners.has(listener)) listeners.set(listener, listeners.size);
      return `${type} #${listeners.get(listener)}`;
    };
    const { addEventListener: add, removeEventListener: remove } = window;
    window.addEventListener = function (this: Window, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
      if (listener) live.add(key(type, listener));
      return add.call(this, type, listener!, options);
    } as typeof window.addEventListener;
    window.removeEventListener = function (this: Window, type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
      if (listener) live.delete(key(type, listener));
      return remove.call(this, type, listener!, options);
    } as typeof window.removeEventListener;
    try {
      const element = create({ dashboard: '38727', 'token-endpoint': ENDPOINT, 'base-url': hostUrl(38727), 'filter-date-range': '["2015-01-01","2015-01-31"]' });
      // Mid-batch: removed in the task that asked for a token. (The token lifecycle listens to
      // online and visibilitychange, the element to message.)
      document.body.append(element);
      await element.updateComplete;
      expect(time.pending).to.deep.equal([0]);
      expect([...live].sort()).to.deep.equal(['message #1', 'online #0', 'visibilitychange #0']);
      element.remove();
      expect(time.pending).to.deep.equal([]);
      expect([...live]).to.deep.equal([]);

      // Mid-update in place: the page has the next token, the element waits for its answer.
      const loaded = next(element, 'chartio-load');
      await attach(element);
      await loaded;
      const token = next(element, 'chartio-token');
      element.setAttribute('filter-date-range', '["2015-02-01","2015-02-28"]');
      await token;
      expect(frames(element).next, 'in place: no new frame').to.equal(undefined);
      expect(time.pending, 'the in-place answer is awaited').to.deep.equal([15_000]);
      element.remove();
      expect(time.pending).to.deep.equal([]);
      expect([...live]).to.deep.equal([]);
      expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(0);

      // Asked to refresh or reload while out of the page: nothing is asked for, nothing is left.
      const before = requestsStarted();
      element.refresh();
      element.reload();
      await settle();
      expect(time.pending).to.deep.equal([]);
      expect(requestsStarted()).to.equal(before);
      expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(0);
    } finally {
      Object.assign(window, { addEventListener: add, removeEventListener: remove });
    }
  });

  it('gives one iframe to a framework that mounts twice (connect, disconnect, connect)', async () => {
    const id = newDashboard();
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const element = create(attributes(id));
    const loaded = next(element, 'chartio-load');
    container.append(element);
    element.remove();
    container.append(element);
    await loaded;
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    expect(await received()).to.have.length(1);

    // And again once loaded: still one (from the cache, with no request).
    const again = next(element, 'chartio-load');
    element.remove();
    container.append(element);
    element.remove();
    container.append(element);
    await again;
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    expect(await received()).to.have.length(1);
  });

  it('uses fetchToken instead of the built-in request', async () => {
    const id = newDashboard();
    const calls: FetchTokenInput[] = [];
    const element = await mount({ dashboard: String(id), 'base-url': baseUrl(id), 'filter-user-id': '4' }, (element) => {
      element.fetchToken = async (input) => {
        calls.push(input);
        // An app's own request: a custom header, its own body.
        const response = await fetch(ENDPOINT, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': 'abc' },
          body: JSON.stringify({ dashboard: input.dashboard, filters: input.filters }),
          signal: input.signal,
        });
        return (await response.json()) as TokenAnswer;
      };
    });
    await next(element, 'chartio-load');
    expect(calls).to.have.length(1);
    expect(calls[0]!.dashboard).to.equal(id);
    expect(calls[0]!.filters).to.deep.equal({ USER_ID: '4' });
    expect(calls[0]!.signal).to.be.instanceOf(AbortSignal);
    expect(claimsOf(frames(element).shown!)!.env).to.include({ USER_ID: '4' });
    const requests = await received();
    expect(requests).to.have.length(1);
    expect(requests[0]!.headers['x-csrf-token']).to.equal('abc');
  });

  it('reports a fetchToken that fails or answers without a token', async () => {
    const id = newDashboard();
    const element = create({ dashboard: String(id), 'base-url': baseUrl(id) }, (element) => {
      element.fetchToken = () => Promise.reject(new Error('boom'));
    });
    // Listen before attaching: the rejection may be reported within the mount itself.
    const failed = next(element, 'chartio-error');
    await attach(element);
    expect(await failed).to.deep.equal({ phase: 'token', status: undefined, code: 'fetch_token', message: 'fetchToken failed: boom' });
    element.fetchToken = async () => ({ token: 'not a token' });
    element.setAttribute('filter-user-id', '1');
    expect(await next(element, 'chartio-error')).to.include({ code: 'bad_answer' });
    expect(frames(element).shown).to.equal(undefined);
  });

  it('refresh() asks for a new token, bypassing the cache, and swaps without a blank frame', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id));
    await next(element, 'chartio-load');
    const old = frames(element).shown!;

    await control({ ttl: 7_200 }); // another lifetime: a token unlike the first
    const token = next(element, 'chartio-token');
    element.refresh();
    expect((await token).reused).to.equal(false);
    // Asked in place first (with fresh); the test server's page cannot, so the new dashboard
    // loads hidden behind the old one, which stays on show meanwhile.
    await waitUntil(() => frames(element).next, 'no frame was loaded behind the shown one');
    const { shown, next: pending } = frames(element);
    expect(shown).to.equal(old);
    expect(pending).to.not.equal(undefined);
    expect(pending!.src).to.not.equal(old.src);
    expect(getComputedStyle(pending!).visibility).to.equal('hidden');
    expect(part(element, 'loading'), 'no loading screen over a dashboard').to.equal(null);
    expect(element.shadowRoot!.getElementById('box')!.getAttribute('aria-busy')).to.equal('true');

    await next(element, 'chartio-load');
    expect(frames(element).shown).to.equal(pending);
    expect(getComputedStyle(pending!).visibility).to.equal('visible');
    expect(old.isConnected).to.equal(false);
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    expect(await received()).to.have.length(2);
  });

  it('refresh() reloads the dashboard even when the endpoint answers with the token on show', async () => {
    // The project's signer reuses a token within its reuse window: a refresh then gets the same one.
    const id = newDashboard();
    const element = await mount(attributes(id));
    await next(element, 'chartio-load');
    const old = frames(element).shown!;
    const token = next(element, 'chartio-token');
    const loaded = next(element, 'chartio-load');
    element.refresh();
    expect((await token).reused).to.equal(false);
    await loaded;
    expect(await received()).to.have.length(2);
    expect(frames(element).shown).to.not.equal(old, 'a new frame was loaded');
    expect(frames(element).shown!.src).to.equal(old.src);
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
  });

  it('reload() reloads the frame with the same token, without a request', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id));
    await next(element, 'chartio-load');
    const old = frames(element).shown!;
    const loaded = next(element, 'chartio-load');
    element.reload();
    expect(frames(element).shown).to.equal(old);
    expect(frames(element).next!.src).to.equal(old.src);
    await loaded;
    expect(frames(element).shown).to.not.equal(old);
    expect(frames(element).shown!.src).to.equal(old.src);
    expect(element.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    expect(await received()).to.have.length(1);
  });

  it('with refresh="proactive", re-signs shortly before expiry and swaps', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id, { refresh: 'proactive' }));
    await next(element, 'chartio-load');
    const old = frames(element).shown!;
    expect(time.pending).to.deep.equal([KEPT_MS]);

    await control({ ttl: 7_200 });
    const token = next(element, 'chartio-token');
    const loaded = next(element, 'chartio-load');
    time.tick(KEPT_MS - 1);
    await settle();
    expect(await received()).to.have.length(1);
    time.tick(1);
    expect((await token).reused).to.equal(false);
    await loaded;
    expect(frames(element).shown!.src).to.not.equal(old.src);
    expect(await received()).to.have.length(2);
    expect(time.pending).to.deep.equal([7_200 * 850]);
  });

  it('by default (on-demand), leaves an idle dashboard alone after expiry, and renews on return to the tab', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id));
    await next(element, 'chartio-load');
    expect(time.pending, 'nothing planned').to.deep.equal([]);
    const events = record(element, 'chartio-token');

    // Back to the tab before expiry: nothing.
    returnToTab();
    time.tick(KEPT_MS);
    await settle();
    expect(await received()).to.have.length(1);
    expect(events).to.deep.equal([]);

    // Back to the tab after expiry: a new token.
    expect(document.hidden).to.equal(false);
    const token = next(element, 'chartio-token');
    returnToTab();
    expect((await token).reused).to.equal(false);
    expect(await received()).to.have.length(2);
  });

  it('renews nothing while the tab stays hidden, nor on `online` when it was never offline', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id));
    await next(element, 'chartio-load');
    const events = record(element, 'chartio-token', 'chartio-error');
    time.tick(KEPT_MS);
    const hidden = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden')!;
    Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => true });
    try {
      returnToTab(); // a visibilitychange into hidden: the token expired, but nobody looks
    } finally {
      Object.defineProperty(Document.prototype, 'hidden', hidden);
    }
    dispatchEvent(new Event('online'));
    await settle();
    expect(events).to.deep.equal([]);
    expect(await received()).to.have.length(1);
  });

  it('keeps at most 50 tokens, the oldest going first', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id, { 'filter-user-id': '0' }));
    await next(element, 'chartio-token');
    for (let user = 1; user <= 50; user++) {
      const token = next(element, 'chartio-token');
      element.setAttribute('filter-user-id', String(user));
      expect((await token).reused).to.equal(false);
    }
    // 51 filter sets seen: user 1's token is still kept, user 0's was dropped.
    const kept = next(element, 'chartio-token');
    element.setAttribute('filter-user-id', '1');
    expect((await kept).reused).to.equal(true);
    const dropped = next(element, 'chartio-token');
    element.setAttribute('filter-user-id', '0');
    expect((await dropped).reused).to.equal(false);
    expect(await received()).to.have.length(52);
  });

  it('with refresh="off", never renews on its own', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id, { refresh: 'off' }));
    await next(element, 'chartio-load');
    time.tick(KEPT_MS * 2);
    returnToTab();
    await settle();
    expect(time.pending).to.deep.equal([]);
    expect(await received()).to.have.length(1);

    // A filter change still asks (the kept token for no filters has expired too).
    const token = next(element, 'chartio-token');
    element.setAttribute('filter-user-id', '1');
    expect((await token).reused).to.equal(false);
  });

  it('asks again for filters whose kept token has expired', async () => {
    const id = newDashboard();
    const element = await mount(attributes(id, { 'filter-region': 'north' }));
    await next(element, 'chartio-load');
    element.setAttribute('filter-region', 'south');
    await next(element, 'chartio-load');
    time.tick(KEPT_MS);
    const token = next(element, 'chartio-token');
    element.setAttribute('filter-region', 'north');
    expect((await token).reused).to.equal(false);
    expect(await received()).to.have.length(3);
  });
});

export type { ChartioEmbedElement };
