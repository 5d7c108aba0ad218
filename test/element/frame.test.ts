/**
 * The frame protocol against the real dashboard host (mounted beside the token endpoint, over the
 * demo dataset): chartio-load only once the page says it is ready, the host's error pages as
 * chartio-error, frame_timeout for a frame that says nothing, frame_refused for one that loads
 * but never speaks the protocol (a host whose frame-ancestors refuse this page), messages from other windows and
 * origins ignored on both sides, filter changes shown in place without navigating, and the
 * fallback to loading the URL when the page cannot update in place.
 */
import { expect } from '@open-wc/testing';
import type { ChartioEmbedElement } from '../../src/element/index.js';
import { FRAME_PROTOCOL_VERSION, READY_MESSAGE_TYPE, TOKEN_MESSAGE_TYPE } from '../../src/protocol/frame-messages.js';
import {
  ENDPOINT,
  SESSION,
  baseUrl,
  claimsOf,
  control,
  frameLoad,
  frames,
  hostUrl,
  isolateEachTest,
  message,
  mount,
  newDashboard,
  next,
  otherOrigin,
  part,
  received,
  record,
  settle,
  waitUntil,
} from './support/harness.js';

const OVERVIEW = 38727;

/** The document of a frame showing a page of this origin (the host is mounted on it). */
const documentOf = (frame: HTMLIFrameElement) => frame.contentDocument!;

/** The value shown by a number chart, by title: `'1,469'`. */
function numberChart(document: Document, title: string): string | undefined {
  const figure = [...document.querySelectorAll('figure.chart-number')].find((chart) => chart.querySelector('h2')?.textContent === title);
  return figure?.querySelector('.value')?.textContent ?? undefined;
}

/** A date range of one month, month `n` counted from January 2014. */
function month(n: number): string[] {
  const start = new Date(Date.UTC(2014, n, 1));
  const end = new Date(Date.UTC(2014, n + 1, 0));
  return [start.toISOString().slice(0, 10), end.toISOString().slice(0, 10)];
}

/** A chartio-load detail from the host's page, which carries `dataTime` (ISO 8601): checked, then left out. */
function hostDetail(detail: unknown): unknown {
  const { dataTime, ...rest } = detail as { dataTime?: string };
  expect(Date.parse(dataTime!)).to.be.above(0, 'the host says when its data was read');
  return rest;
}

describe('<chartio-embed> and the dashboard host: the frame protocol', () => {
  const time = isolateEachTest();

  const hosted = (more: Record<string, string> = {}) => ({ dashboard: String(OVERVIEW), 'token-endpoint': ENDPOINT, 'base-url': hostUrl(OVERVIEW), ...more });

  it('fires chartio-load once the page says it is ready, with { dashboard, reused, inPlace }', async () => {
    const element = await mount(hosted({ 'filter-date-range': JSON.stringify(month(0)) }));
    const detail = await next(element, 'chartio-load');
    expect(hostDetail(detail)).to.deep.equal({ dashboard: OVERVIEW, reused: false, inPlace: false });
    // The page is drawn by then: its main, its charts.
    const page = documentOf(frames(element).shown!);
    expect(page.querySelector('main h1')!.textContent).to.equal('Account overview');
    expect(numberChart(page, 'Completed orders')).to.match(/^[\d,]+$/);
  });

  it('reports a token signed with another secret as the host does (token_signature, 401), and never loads', async () => {
    const element = await mount(hosted({ 'token-endpoint': `${ENDPOINT}&foreign` }));
    const events = record(element, 'chartio-load', 'chartio-error');
    const error = await next(element, 'chartio-error');
    expect(error).to.deep.equal({ phase: 'frame', code: 'token_signature', status: 401, message: 'The dashboard host answered 401 token_signature' });
    await settle();
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-error']);
    expect(time.pending, 'a refusal is not retried').to.deep.equal([]);
    await element.updateComplete;
    expect(part(element, 'error')!.textContent).to.equal('This dashboard can’t be shown.');
    expect(frames(element).shown).to.equal(undefined);
  });

  it('reports frame_timeout for a base URL whose host does not resolve, after frame-timeout ms', async () => {
    const element = await mount(hosted({ 'base-url': 'https://chartio-embed-test.invalid/d/38727', 'frame-timeout': '5000' }));
    const events = record(element, 'chartio-load', 'chartio-error');
    await next(element, 'chartio-token');
    // (Chromium shows its own error page in the frame, which fires `load`; Firefox does not.)
    await settle();
    expect(events).to.deep.equal([]);
    expect(time.pending).to.deep.equal([5000]);
    time.tick(4999);
    await settle();
    expect(events).to.deep.equal([]);
    const error = next(element, 'chartio-error');
    time.tick(1);
    expect(await error).to.deep.equal({ phase: 'frame', code: 'frame_timeout', message: 'The dashboard did not load in time' });
    expect(frames(element).next, 'the frame is dropped').to.equal(undefined);
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-error']);
  });

  it('reports frame_refused 2 s after a page loads and never speaks the protocol, naming this page\'s origin', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': `${baseUrl(id)}?silent` });
    const events = record(element, 'chartio-load', 'chartio-error');
    await next(element, 'chartio-token');
    const frame = frames(element).next!;
    expect(time.pending, 'before load: the frame timeout').to.deep.equal([15_000]);
    await frameLoad(frame);
    expect(claimsOf(frame), 'the page itself loaded').to.include({ dashboard: id });
    await settle();
    expect(time.pending, 'after load: 2 s to speak').to.deep.equal([2000]);
    time.tick(1999);
    await settle();
    expect(events).to.deep.equal([]);
    const error = next(element, 'chartio-error');
    time.tick(1);
    const detail = await error;
    expect(detail).to.include({ phase: 'frame', code: 'frame_refused' });
    expect(detail.message).to.equal(
      `The dashboard page at ${location.origin} loaded but did not speak the frame protocol: its host may refuse to be framed by ${location.origin} (check that the host's frameAncestors includes ${location.origin}), or the URL serves another page (a proxy's, a login, another version)`,
    );
    expect(frames(element).next, 'the frame is dropped').to.equal(undefined);
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-error']);
  });

  it('reports frame_refused within 3 s of load for a real host whose frameAncestors leave this page out (CSP frame-ancestors)', async () => {
    const element = await mount(hosted({ 'base-url': hostUrl(OVERVIEW, 'elsewhere') }));
    const events = record(element, 'chartio-load', 'chartio-error');
    await next(element, 'chartio-token');
    // The browser refuses to show the page (its console says why) and fires load on the frame.
    await frameLoad(frames(element).next!);
    await settle();
    const error = next(element, 'chartio-error');
    time.tick(2000);
    const detail = await error;
    expect(detail).to.include({ phase: 'frame', code: 'frame_refused' });
    expect(detail.message).to.contain(`check that the host's frameAncestors includes ${location.origin}`);
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-error']);
    await element.updateComplete;
    expect(part(element, 'error')!.textContent).to.equal('This dashboard can’t be shown.');
  });

  it('gives a page that speaks the protocol (a height) but is not ready yet the whole frame timeout', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': `${baseUrl(id)}?silent&post=300` });
    const events = record(element, 'chartio-load', 'chartio-error');
    await next(element, 'chartio-token');
    await frameLoad(frames(element).next!);
    await settle();
    expect(time.pending).to.deep.equal([15_000]);
    time.tick(14_999);
    await settle();
    expect(events).to.deep.equal([]);
    const error = next(element, 'chartio-error');
    time.tick(1);
    expect(await error).to.deep.equal({ phase: 'frame', code: 'frame_timeout', message: 'The dashboard did not load in time' });
  });

  it('retries a host error that says a retry can help, 1 s, 2 s and 4 s apart; never a refusal', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': `${baseUrl(id)}?fail=503&s=${SESSION}` });
    const events = record(element, 'chartio-load', 'chartio-error');
    const pages = async () => ((await (await fetch(`/__pages?s=${SESSION}`)).json()) as { pages: number }).pages;
    for (const backoff of [1000, 2000, 4000]) {
      await waitUntil(() => time.pending.length === 1 && time.pending[0] === backoff, `no retry in ${backoff} ms (timers: ${time.pending})`);
      time.tick(backoff);
    }
    const error = await next(element, 'chartio-error');
    expect(error).to.deep.equal({ phase: 'frame', code: 'injected_503', status: 503, message: 'The dashboard host answered 503 injected_503' });
    expect(await pages()).to.equal(4);
    // From the token kept: one request in all.
    expect(await received()).to.have.length(1);
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-error']);
    await element.updateComplete;
    expect(part(element, 'error')!.querySelector('button')!.textContent, 'retrying may help').to.equal('Retry');

    // A 4xx from the host: no retry at all.
    element.setAttribute('base-url', `${baseUrl(id)}?fail=404&s=${SESSION}`);
    expect(await next(element, 'chartio-error')).to.include({ code: 'injected_404', status: 404 });
    expect(time.pending).to.deep.equal([]);
    expect(await pages()).to.equal(5);
  });

  it('ignores a ready or error message from another window, or from its own frame on another origin', async () => {
    const id = newDashboard();
    // A page that says nothing by itself: the test says ready for it, or not.
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': `${baseUrl(id)}?silent` });
    const events = record(element, 'chartio-load', 'chartio-error');
    await next(element, 'chartio-token');
    const frame = frames(element).next!;
    await frameLoad(frame);
    const own = frame.contentWindow as unknown as { sendReady(): void; sendError(code: string, status: number, retryable: boolean): void };

    // Another window showing the same page, same origin: its ready and error are not the frame's.
    const stranger = document.createElement('iframe');
    stranger.src = frame.src;
    document.body.append(stranger);
    await frameLoad(stranger);
    const strangerWindow = stranger.contentWindow as unknown as typeof own;
    const forgedReady = message((data) => data?.type === READY_MESSAGE_TYPE);
    strangerWindow.sendReady();
    await forgedReady;
    const forgedError = message((data) => data?.code === 'forged');
    strangerWindow.sendError('forged', 500, false);
    await forgedError;
    stranger.remove();
    // The page itself (not a frame at all).
    const selfPosted = message((data) => data?.dashboard === id && data?.token === 'self.posted.ready');
    postMessage({ type: READY_MESSAGE_TYPE, version: FRAME_PROTOCOL_VERSION, dashboard: id, token: 'self.posted.ready' }, '*');
    await selfPosted;
    await settle();
    expect(events).to.deep.equal([]);

    // Its own frame, navigated to another origin, where the same page says ready on load.
    const elsewhere = new URL(frame.src);
    elsewhere.host = new URL(otherOrigin()).host;
    elsewhere.searchParams.delete('silent');
    const fromElsewhere = message((data) => data?.type === READY_MESSAGE_TYPE);
    const away = frameLoad(frame);
    frame.contentWindow!.location.href = elsewhere.href;
    const event = await fromElsewhere;
    await away;
    expect(event.source).to.equal(frame.contentWindow);
    expect(event.origin).to.equal(otherOrigin());
    await settle();
    expect(events).to.deep.equal([]);

    // The dashboard's own word from its own origin is heard: it loads.
    const loaded = next(element, 'chartio-load');
    frame.contentWindow!.location.href = frame.src;
    await frameLoad(frame);
    own.sendReady();
    expect(await loaded).to.deep.equal({ dashboard: id, reused: false, inPlace: false });
  });

  it('shows twenty filter changes in place: no navigation after the first load, and the new numbers', async () => {
    const element = await mount(hosted({ 'filter-date-range': JSON.stringify(month(0)) }));
    expect(await next(element, 'chartio-load')).to.include({ inPlace: false });
    const frame = frames(element).shown!;
    const window = frame.contentWindow as Window & { marker?: object };
    // Set on the frame's window: a navigation would make a new one, without it.
    const marker = (window.marker = {});
    // The page says ready once parsed: its own `load` may come just after.
    if (window.document.readyState !== 'complete') await frameLoad(frame);
    let loads = 0;
    frame.addEventListener('load', () => loads++);
    const added: Node[] = [];
    new MutationObserver((records) => added.push(...records.flatMap((record) => [...record.addedNodes]))).observe(element.shadowRoot!, { childList: true, subtree: true });

    let previous = numberChart(window.document, 'Completed orders');
    for (let n = 1; n <= 20; n++) {
      const loaded = next(element, 'chartio-load');
      element.setAttribute('filter-date-range', JSON.stringify(month(n)));
      expect(hostDetail(await loaded)).to.deep.equal({ dashboard: OVERVIEW, reused: false, inPlace: true });
      // The page shows that token: what loading its URL shows, numbers and chart data alike.
      const url = window.location.href;
      expect(url, 'the page names the token it shows').to.not.equal(frame.src);
      const page = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html');
      const shown = numberChart(window.document, 'Completed orders');
      expect(shown).to.equal(numberChart(page, 'Completed orders'));
      expect(shown, `month ${n} shows its own numbers`).to.not.equal(previous);
      // The charts are drawn by the host: the same drawings, points and texts (less the "Download
      // image" buttons the page runtime adds beside each CSV one, and the "Updated … ago" line it
      // adds under the title).
      const shownMain = window.document.querySelector('main')!.cloneNode(true) as HTMLElement;
      for (const added of shownMain.querySelectorAll('.image-download, #chartio-updated')) added.remove();
      expect(shownMain.textContent).to.equal(page.querySelector('main')!.textContent);
      const points = (document: Document) => [...document.querySelectorAll<HTMLElement>('.chart-svg > [data-points]')].map((drawing) => drawing.dataset.points);
      expect(points(window.document)).to.deep.equal(points(page));
      previous = shown;
    }
    expect(window.marker).to.equal(marker);
    expect(loads, 'the frame never loaded again').to.equal(0);
    expect(frames(element).shown).to.equal(frame);
    expect(added.filter((node) => node.nodeName === 'IFRAME'), 'no other frame was made').to.deep.equal([]);
    expect(await received()).to.have.length(21);

    // Back to a month seen before: its token is reused, and shown in place from the host's cache.
    const back = next(element, 'chartio-load');
    element.setAttribute('filter-date-range', JSON.stringify(month(3)));
    expect(hostDetail(await back)).to.deep.equal({ dashboard: OVERVIEW, reused: true, inPlace: true });
    expect(await received()).to.have.length(21);
  });

  it('falls back to loading the URL when the host cannot give the data in place', async () => {
    const element = await mount(hosted({ 'filter-region': `${SESSION}-a` }));
    await next(element, 'chartio-load');
    const first = frames(element).shown!;
    // The data route answers 503 for this token (test-server.ts): the page says so, and the
    // element loads the token's URL in a new frame instead.
    const loaded = next(element, 'chartio-load');
    element.setAttribute('filter-region', `${SESSION}-fail-data`);
    expect(hostDetail(await loaded)).to.deep.equal({ dashboard: OVERVIEW, reused: false, inPlace: false });
    const shown = frames(element).shown!;
    expect(shown).to.not.equal(first);
    expect(first.isConnected).to.equal(false);
    expect(new URL(shown.src).searchParams.get('embed_token')).to.equal(new URL(shown.contentWindow!.location.href).searchParams.get('embed_token'));
    expect(numberChart(documentOf(shown), 'Completed orders')).to.match(/^[\d,]+$/);
  });

  it('falls back to loading the URL when the page refuses to update in place', async () => {
    // The small test page speaks the protocol but answers every token with an error.
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-user-id': '1' });
    await next(element, 'chartio-load');
    const first = frames(element).shown!;
    const asked = (first.contentWindow as unknown as { tokensAsked: string[] }).tokensAsked;
    const loaded = next(element, 'chartio-load');
    element.setAttribute('filter-user-id', '2');
    expect(await loaded).to.deep.equal({ dashboard: id, reused: false, inPlace: false });
    const shown = frames(element).shown!;
    expect(asked).to.deep.equal([new URL(shown.src).searchParams.get('embed_token')]);
    expect(claimsOf(shown)!.env).to.include({ USER_ID: '2' });
  });

  it('falls back to loading the URL when the page does not answer in place within frame-timeout', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'frame-timeout': '3000' });
    await next(element, 'chartio-load');
    const first = frames(element).shown!;
    // The page stops answering tokens: a capturing listener runs before its own, and stops it.
    first.contentWindow!.addEventListener('message', (event) => event.stopImmediatePropagation(), { capture: true });
    const token = next(element, 'chartio-token');
    element.setAttribute('filter-user-id', '3');
    await token;
    expect(frames(element).next, 'waiting in place first').to.equal(undefined);
    expect(time.pending).to.deep.equal([3000]);
    time.tick(3000);
    const loaded = next(element, 'chartio-load');
    expect(frames(element).next).to.not.equal(undefined);
    expect(await loaded).to.include({ inPlace: false });
    expect(claimsOf(frames(element).shown!)!.env).to.include({ USER_ID: '3' });
  });

  describe('the page accepts a token only from its parent window and a configured parent origin', () => {
    /** A host page framed here directly, with a spy on its `fetch` and a listener after its own. */
    async function framedPage(mount: 'host' | 'strict') {
      const answer = await fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dashboard: OVERVIEW, filters: {} }) });
      const { token } = (await answer.json()) as { token: string };
      const frame = document.createElement('iframe');
      frame.src = `${hostUrl(OVERVIEW, mount)}/?embed_token=${token}`;
      document.body.append(frame);
      await frameLoad(frame);
      const page = frame.contentWindow as Window & typeof globalThis;
      const fetches: string[] = [];
      const realFetch = page.fetch;
      page.fetch = (input, init) => (fetches.push(String(input)), realFetch(input, init));
      // Runs after the page script's own listener (added first): by then it has acted, or not.
      const handled = () => new Promise<void>((resolve) => page.addEventListener('message', () => resolve(), { once: true }));
      return { frame, page, fetches, handled, token };
    }
    const tokenMessage = (token: string) => ({ type: TOKEN_MESSAGE_TYPE, version: FRAME_PROTOCOL_VERSION, token });

    it('from the parent at a configured origin: it fetches the data (the control)', async () => {
      const { frame, page, fetches, handled, token } = await framedPage('host');
      const done = handled();
      page.postMessage(tokenMessage(token), location.origin);
      await done;
      expect(fetches).to.deep.equal([`${new URL(hostUrl(OVERVIEW)).pathname}/data`]);
      frame.remove();
    });

    it('from another window of a configured origin: ignored', async () => {
      const { frame, page, fetches, handled, token } = await framedPage('host');
      const sibling = document.createElement('iframe');
      document.body.append(sibling);
      // A function of the sibling's own realm posts, so the message's source is the sibling.
      const post = new (sibling.contentWindow as Window & typeof globalThis).Function('target', 'message', 'origin', 'target.postMessage(message, origin)');
      const done = handled();
      post(page, tokenMessage(token), location.origin);
      await done;
      expect(fetches).to.deep.equal([]);
      sibling.remove();
      frame.remove();
    });

    it('from the parent at an origin that is not configured: ignored', async () => {
      // The strict host's only parent origin is the other loopback origin, not this page's.
      const { frame, page, fetches, handled, token } = await framedPage('strict');
      const done = handled();
      page.postMessage(tokenMessage(token), location.origin);
      await done;
      expect(fetches).to.deep.equal([]);
      frame.remove();
    });
  });
});

export type { ChartioEmbedElement };
