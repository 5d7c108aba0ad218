/**
 * The built-in token request and what the frame gets: the body, filter naming, batching, the
 * iframe's URL and attributes, the answer's `url` when there is no base-url.
 */
import { expect } from '@open-wc/testing';
import { ChartioEmbedElement, DEFAULT_SANDBOX } from '../../src/element/index.js';
import { ENDPOINT, SESSION, baseUrl, claimsOf, frames, isolateEachTest, mount, newDashboard, next, part, received, requestsStarted } from './support/harness.js';

describe('<chartio-embed> token request', () => {
  const time = isolateEachTest();

  it('POSTs {"dashboard","filters"} as JSON, naming filter-* attributes in upper snake case', async () => {
    document.cookie = `chartio-test=${SESSION}; path=/; SameSite=Strict`;
    const id = newDashboard();
    const element = await mount({
      dashboard: String(id),
      'token-endpoint': ENDPOINT,
      'base-url': baseUrl(id),
      'filter-user-id': '1',
      'filter-date-range': '["2014-02-11","2015-02-11"]',
      'filter-region': '["north", 2]',
      'filter-n': '42',
    });
    await next(element, 'chartio-load');
    const [request] = await received();
    expect(request!.headers['content-type']).to.equal('application/json');
    expect(request!.headers.origin).to.equal(location.origin);
    // credentials: 'same-origin': the page's session cookie goes along.
    expect(request!.headers.cookie).to.contain(`chartio-test=${SESSION}`);
    expect(request!.body).to.deep.equal({
      dashboard: id,
      filters: {
        USER_ID: '1',
        DATE_RANGE: ['2014-02-11', '2015-02-11'],
        // Not an array of strings: the text itself.
        REGION: '["north", 2]',
        N: '42',
      },
    });
    // The dashboard page verified the token: the filters reached `env`, with the server's
    // locked ACCT_ID beside them.
    const { shown } = frames(element);
    expect(claimsOf(shown!)).to.include({ dashboard: id });
    expect(claimsOf(shown!)!.env).to.deep.equal({
      ACCT_ID: '1',
      DATE_RANGE: ['2014-02-11', '2015-02-11'],
      N: '42',
      REGION: '["north", 2]',
      USER_ID: '1',
    });
  });

  it('builds the iframe from base-url with the URL API, safe attributes and an accessible name', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    expect(element.shadowRoot!.getElementById('box')!.getAttribute('aria-busy')).to.equal('true');
    expect(part(element, 'loading')!.textContent).to.contain('Loading…');
    const token = await next(element, 'chartio-token');
    expect(token.reused).to.equal(false);
    expect(token.expiresAt).to.be.a('number');
    await next(element, 'chartio-load');

    const { shown, next: pending } = frames(element);
    expect(pending).to.equal(undefined);
    const src = new URL(shown!.src);
    expect(`${src.origin}${src.pathname}`).to.equal(`${baseUrl(id)}/`);
    expect([...src.searchParams.keys()]).to.deep.equal(['embed_token']);
    expect(src.searchParams.get('embed_token')).to.match(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(shown!.getAttribute('referrerpolicy')).to.equal('no-referrer');
    expect(shown!.getAttribute('sandbox')).to.equal(DEFAULT_SANDBOX);
    expect(shown!.getAttribute('allow')).to.equal('fullscreen');
    expect(shown!.title).to.equal(`Dashboard ${id}`);
    expect(shown!.getAttribute('part')).to.equal('frame');
    expect(part(element, 'loading')).to.equal(null);
    expect(element.shadowRoot!.getElementById('box')!.getAttribute('aria-busy')).to.equal('false');

    // title, sandbox and allow pass through.
    element.title = 'Executive summary';
    await element.updateComplete; // lets the MutationObserver's callback run and ask for an update
    await element.updateComplete;
    expect(frames(element).shown!.title).to.equal('Executive summary');
  });

  it('passes title, sandbox and allow through to a new frame', async () => {
    const id = newDashboard();
    const element = await mount({
      dashboard: String(id),
      'token-endpoint': ENDPOINT,
      'base-url': baseUrl(id),
      title: 'Executive summary',
      sandbox: 'allow-scripts allow-same-origin',
      allow: 'fullscreen; clipboard-write',
    });
    await next(element, 'chartio-load');
    const { shown } = frames(element);
    expect(shown!.title).to.equal('Executive summary');
    expect(shown!.getAttribute('sandbox')).to.equal('allow-scripts allow-same-origin');
    expect(shown!.getAttribute('allow')).to.equal('fullscreen; clipboard-write');
    expect(shown!.getAttribute('referrerpolicy')).to.equal('no-referrer');
  });

  it('uses the answer\'s url when there is no base-url', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT });
    await next(element, 'chartio-load');
    const src = new URL(frames(element).shown!.src);
    expect(`${src.origin}${src.pathname}`).to.equal(`${baseUrl(id)}/`);
    expect(claimsOf(frames(element).shown!)).to.include({ dashboard: id });
  });

  it('merges the filters property over the attributes', async () => {
    const id = newDashboard();
    const element = await mount(
      { dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-user-id': '1', 'filter-region': 'north' },
      (element) => {
        element.filters = { USER_ID: '7', DATE_RANGE: ['2020-01-01', '2020-12-31'] };
      },
    );
    await next(element, 'chartio-load');
    const [request] = await received();
    expect(request!.body.filters).to.deep.equal({ USER_ID: '7', REGION: 'north', DATE_RANGE: ['2020-01-01', '2020-12-31'] });
  });

  it('makes one request for any number of changes in one task', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await next(element, 'chartio-load');
    expect(await received()).to.have.length(1);

    element.setAttribute('filter-user-id', '2');
    element.setAttribute('filter-region', 'south');
    element.filters = { N: '1' };
    element.setAttribute('filter-user-id', '3');
    element.removeAttribute('filter-region');
    element.filters = { N: '2' };
    const token = await next(element, 'chartio-token');
    expect(token.reused).to.equal(false);
    await next(element, 'chartio-load');
    const requests = await received();
    expect(requests).to.have.length(2);
    expect(requests[1]!.body.filters).to.deep.equal({ USER_ID: '3', N: '2' });
  });

  it('makes one request for any number of changes in one task, awaits between them included', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await next(element, 'chartio-load');
    const before = requestsStarted();
    for (let n = 0; n < 10; n++) {
      element.setAttribute('filter-n', String(n));
      await Promise.resolve();
      await element.updateComplete; // the element has seen this change
    }
    // Still the same task: one request planned for its end, on the element's clock; none made.
    expect(time.pending).to.deep.equal([0]);
    expect(requestsStarted()).to.equal(before);
    // The test ends the batch itself: the request starts at once.
    time.tick(0);
    expect(requestsStarted()).to.equal(before + 1);
    await next(element, 'chartio-load');
    expect(requestsStarted()).to.equal(before + 1);
    const requests = await received();
    expect(requests).to.have.length(2);
    expect(requests[1]!.body.filters).to.deep.equal({ N: '9' });
  });

  it('sends the page\'s cookies to a token endpoint on another origin only with credentials="include"', async () => {
    // The same site (this host name), another port: another origin, whose CORS allows this page
    // with credentials (test-server.ts). A cookie of this host name goes to any of its ports.
    const { port } = (await (await fetch('/__cors-port')).json()) as { port: number };
    const endpoint = `http://${location.hostname}:${port}/embed-token-cors?s=${SESSION}`;
    document.cookie = `chartio-cors=${SESSION}; path=/; SameSite=Lax`;
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': endpoint, 'base-url': baseUrl(id), credentials: 'include' });
    await next(element, 'chartio-load');
    // The default: the cookies stay home.
    element.removeAttribute('credentials');
    element.setAttribute('filter-user-id', '2');
    await next(element, 'chartio-load');
    const requests = await received();
    expect(requests.map((request) => request.headers.origin)).to.deep.equal([location.origin, location.origin]);
    expect(requests[0]!.headers.cookie).to.contain(`chartio-cors=${SESSION}`);
    expect(requests[1]!.headers.cookie).to.equal(undefined);
    expect(requests.map((request) => request.status)).to.deep.equal([200, 200]);
  });

  it('observes adding, changing and removing filter attributes at any time', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    const first = await next(element, 'chartio-token');
    await next(element, 'chartio-load');
    element.setAttribute('filter-date-range', '["2014-02-11","2015-02-11"]');
    await next(element, 'chartio-load');
    expect(claimsOf(frames(element).shown!)!.env).to.deep.equal({ ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] });
    element.setAttribute('filter-date-range', '["2016-01-01","2016-12-31"]');
    await next(element, 'chartio-load');
    expect(claimsOf(frames(element).shown!)!.env).to.deep.equal({ ACCT_ID: '1', DATE_RANGE: ['2016-01-01', '2016-12-31'] });
    element.removeAttribute('filter-date-range');
    // Back to no filters: the first token again, from the cache.
    expect(await next(element, 'chartio-token')).to.deep.equal({ expiresAt: first.expiresAt, reused: true });
    await next(element, 'chartio-load');
    expect(claimsOf(frames(element).shown!)!.env).to.deep.equal({ ACCT_ID: '1' });
    expect((await received()).map((request) => request.body.filters)).to.deep.equal([
      {},
      { DATE_RANGE: ['2014-02-11', '2015-02-11'] },
      { DATE_RANGE: ['2016-01-01', '2016-12-31'] },
    ]);
  });

  it('is registered, and defining it twice does not throw', async () => {
    expect(customElements.get('chartio-embed')).to.equal(ChartioEmbedElement);
    // A second copy of the registering module (as two bundles on one page would run it).
    const again = new URL('../../src/element/define.ts?again', import.meta.url).href;
    await import(again);
    expect(customElements.get('chartio-embed')).to.equal(ChartioEmbedElement);
    expect(document.createElement('chartio-embed')).to.be.instanceOf(ChartioEmbedElement);
  });

});
