/**
 * Latest wins, and tokens are reused: an answer for old filters never reaches the frame, a
 * request no longer wanted is aborted, filters seen before cost no request, and elements on one
 * page share the cache and each request in flight.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { ChartioEmbedElement, TokenAnswer } from '../../src/element/index.js';
import {
  ENDPOINT,
  attach,
  isolateEachTest,
  create,
  baseUrl,
  claimsOf,
  control,
  frames,
  mount,
  newDashboard,
  next,
  part,
  received,
  receivedAtLeast,
  record,
  settle,
  waitUntil,
} from './support/harness.js';

describe('<chartio-embed> latest wins and token reuse', () => {
  isolateEachTest();

  it('aborts the request in flight when the filters change, and shows only the latest', async () => {
    const id = newDashboard();
    await control({ hold: true });
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-user-id': '1' });
    const errors = record(element, 'chartio-error');
    await receivedAtLeast(1);
    element.setAttribute('filter-user-id', '2');
    const requests = await receivedAtLeast(2);
    expect(requests.map((request) => request.body.filters)).to.deep.equal([{ USER_ID: '1' }, { USER_ID: '2' }]);
    const loaded = next(element, 'chartio-load');
    await control({ release: 1 });
    await loaded;
    expect(claimsOf(frames(element).shown!)!.env).to.include({ USER_ID: '2' });
    // The first request stays held on the server, which sees its connection closed by the abort.
    await waitForAborted(0);
    expect(errors, 'an aborted request is not an error').to.deep.equal([]);
  });

  it('never lets a late answer for old filters change the frame', async () => {
    // fetchToken ignoring its signal lets the old answer arrive after the new one.
    const id = newDashboard();
    const answers = new Map<string, (answer: TokenAnswer) => void>();
    const signals: AbortSignal[] = [];
    const realTokens = async (filters: object) => {
      const response = await fetch(ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dashboard: id, filters }) });
      return (await response.json()) as TokenAnswer;
    };
    const element = await mount({ dashboard: String(id), 'base-url': baseUrl(id), 'filter-user-id': '1' }, (element) => {
      element.fetchToken = ({ filters, signal }) => {
        signals.push(signal);
        return new Promise((resolve) => answers.set(String(filters.USER_ID), resolve));
      };
    });
    const events = record(element, 'chartio-token', 'chartio-load', 'chartio-error');
    await settle(); // the first request starts at the end of the mounting task
    element.setAttribute('filter-user-id', '2');
    await settle();
    expect([...answers.keys()]).to.deep.equal(['1', '2']);
    expect(signals[0]!.aborted, 'the first call was told to stop').to.equal(true);
    expect(signals[1]!.aborted).to.equal(false);

    answers.get('2')!(await realTokens({ USER_ID: '2' }));
    await next(element, 'chartio-load');
    const shown = frames(element).shown!.src;
    answers.get('1')!(await realTokens({ USER_ID: '1' }));
    await settle(); // a (wrong) late answer would have reached the frame by now
    expect(frames(element).shown!.src).to.equal(shown);
    expect(frames(element).next).to.equal(undefined);
    expect(claimsOf(frames(element).shown!)!.env).to.include({ USER_ID: '2' });
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-token', 'chartio-load']);
  });

  it('goes back to filters seen before with no request, and the same src', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-region': 'north' });
    await next(element, 'chartio-load');
    const north = frames(element).shown!.src;
    element.setAttribute('filter-region', 'south');
    await next(element, 'chartio-load');
    element.setAttribute('filter-region', 'north');
    expect(await next(element, 'chartio-token')).to.include({ reused: true });
    await next(element, 'chartio-load');
    expect(frames(element).shown!.src).to.equal(north);
    expect(await received()).to.have.length(2);
  });

  it('fires chartio-load when the filters go back to the dashboard on show before the next one loaded', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-region': 'north' });
    await next(element, 'chartio-load');
    const north = frames(element).shown!.src;
    await control({ hold: true });
    element.setAttribute('filter-region', 'south');
    await receivedAtLeast(2);
    // Back to what is on show while south's token is still being signed: no frame to load.
    const events = record(element, 'chartio-token', 'chartio-load');
    const loaded = next(element, 'chartio-load');
    element.setAttribute('filter-region', 'north');
    await loaded;
    expect(events.map((event) => event.type)).to.deep.equal(['chartio-token', 'chartio-load']);
    expect(frames(element).shown!.src).to.equal(north);
    expect(frames(element).next).to.equal(undefined);
    expect(part(element, 'loading')).to.equal(null);
    await control({ release: 'all' });
  });

  it('loads the same token from a new base URL: the page on show is not the one asked for', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await next(element, 'chartio-load');
    const first = frames(element).shown!;
    const token = next(element, 'chartio-token');
    const loaded = next(element, 'chartio-load');
    element.setAttribute('base-url', `${baseUrl(id)}?v=2`);
    expect(await token).to.include({ reused: true });
    expect(await loaded).to.deep.equal({ dashboard: id, reused: true, inPlace: false });
    expect(frames(element).shown).to.not.equal(first);
    expect(new URL(frames(element).shown!.src).searchParams.get('v')).to.equal('2');
    expect(await received()).to.have.length(1);
  });

  it('keys the cache by canonical filters: attribute order does not matter', async () => {
    const id = newDashboard();
    const a = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-region': 'north', 'filter-user-id': '1' });
    await next(a, 'chartio-load');
    const b = create({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-user-id': '1', 'filter-region': 'north' });
    const token = next(b, 'chartio-token');
    const loaded = next(b, 'chartio-load');
    await attach(b);
    expect(await token).to.include({ reused: true });
    await loaded;
    expect(frames(b).shown!.src).to.equal(frames(a).shown!.src);
    expect(await received()).to.have.length(1);
  });

  it('shares one request in flight between two elements with the same key', async () => {
    const id = newDashboard();
    await control({ hold: true });
    const attributes = { dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-user-id': '5' };
    const [a, b] = await Promise.all([mount(attributes), mount(attributes)]);
    await receivedAtLeast(1);
    // Listen before releasing: the answer may reach the elements before control() returns.
    const tokens = Promise.all([next(a, 'chartio-token'), next(b, 'chartio-token')]);
    const loads = Promise.all([next(a, 'chartio-load'), next(b, 'chartio-load')]);
    await control({ release: 'all' });
    const [tokenA, tokenB] = await tokens;
    expect(tokenA.reused).to.equal(false);
    expect(tokenB.reused).to.equal(false);
    await loads;
    expect(frames(a).shown!.src).to.equal(frames(b).shown!.src);
    expect(await received()).to.have.length(1);
  });

  it('does not abort the shared request when one of its waiters goes away', async () => {
    const id = newDashboard();
    await control({ hold: true });
    const attributes = { dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) };
    const container = await fixture<HTMLDivElement>(html`<div></div>`);
    const a = document.createElement('chartio-embed');
    const b = document.createElement('chartio-embed');
    for (const element of [a, b]) for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    container.append(a, b);
    await receivedAtLeast(1);
    a.remove(); // a leaves: its wait is aborted, b's is not
    a.setAttribute('filter-user-id', '9'); // (nothing happens while disconnected)
    const loaded = next(b, 'chartio-load');
    await control({ release: 'all' });
    await loaded;
    const requests = await received();
    expect(requests).to.have.length(1);
    expect(requests[0]!.aborted).to.equal(false);
    expect(frames(a as ChartioEmbedElement).shown).to.equal(undefined);
  });

  it('aborts the request when its only waiter goes away', async () => {
    const id = newDashboard();
    await control({ hold: true });
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await receivedAtLeast(1);
    element.remove();
    // The server sees the connection close while the request is still held; releasing it first
    // would race the abort against a normal answer.
    await waitForAborted(0);
    await control({ release: 'all' });
  });
});

async function waitForAborted(index: number): Promise<void> {
  await waitUntil(async () => (await received())[index]?.aborted, `request ${index} was never aborted`);
}
