/**
 * Every kind of error: invalid inputs (no request), the endpoint's 4xx (no retry) and 5xx
 * (retried with backoff), network failures, timeouts, bad answers, a frame that never loads,
 * and being offline. Time moves only when a test ticks the element's clock.
 */
import { expect } from '@open-wc/testing';
import type { ChartioEmbedElement } from '../../src/element/index.js';
import {
  ENDPOINT,
  SESSION,
  isolateEachTest,
  baseUrl,
  control,
  frames,
  mount,
  newDashboard,
  next,
  part,
  received,
  receivedAtLeast,
  record,
  requestsStarted,
  settle,
  watchWarnings,
  waitUntil,
} from './support/harness.js';

const FORBIDDEN_DASHBOARD = 9403;

describe('<chartio-embed> errors', () => {
  const time = isolateEachTest();

  /** Waits until the element has set its next timer (a retry): the failure was handled. */
  const untilTimers = (...due: number[]) =>
    waitUntil(() => JSON.stringify(time.pending) === JSON.stringify(due), `timers never became [${due}] (are [${time.pending}])`);

  describe('config', () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['a dashboard that is not a positive integer', { dashboard: '12a' }, 'invalid_dashboard'],
      ['a zero dashboard', { dashboard: '0' }, 'invalid_dashboard'],
      ['no dashboard', { dashboard: '' }, 'invalid_dashboard'],
      ['no token endpoint', { 'token-endpoint': '' }, 'invalid_endpoint'],
      ['a javascript: token endpoint', { 'token-endpoint': 'javascript:alert(1)' }, 'invalid_endpoint'],
      ['a plain-http base-url off loopback', { 'base-url': 'http://dashboards.example.com/d/1' }, 'invalid_base_url'],
      ['a javascript: base-url', { 'base-url': 'javascript:alert(1)//' }, 'invalid_base_url'],
      ['a filter name that is not upper snake case once converted', { 'filter-user.id': '1' }, 'invalid_filters'],
    ];
    for (const [what, attributes, code] of cases) {
      it(`refuses ${what} with no request`, async () => {
        const before = requestsStarted();
        const element = await mount({ dashboard: '38727', 'token-endpoint': ENDPOINT, 'base-url': baseUrl(38727), ...attributes });
        await settle();
        // Fired at the end of the mounting task, before settle() returned: read the state instead.
        const error = part(element, 'error')!;
        expect(error.getAttribute('role')).to.equal('alert');
        // The viewer's words; the developer's are in the event and the console.
        expect(error.textContent).to.equal('This dashboard can’t be shown.');
        expect(error.querySelector('button'), 'no retry for a config error').to.equal(null);
        expect(frames(element).shown).to.equal(undefined);
        expect(requestsStarted()).to.equal(before);
        expect(await received()).to.have.length(0);
        // The event, with its detail, when the inputs change to another invalid set, in one task.
        const event = next(element, 'chartio-error');
        if (code == 'invalid_base_url') {
          element.dashboard = 'x';
          expect(await event).to.deep.equal({ phase: 'config', code: 'invalid_dashboard', message: 'dashboard must be a positive integer' });
        } else {
          element.removeAttribute('filter-user.id');
          Object.assign(element, { dashboard: 5, tokenEndpoint: ENDPOINT, baseUrl: 'ftp://dashboards.example.com/d/5' });
          expect(await event).to.deep.equal({ phase: 'config', code: 'invalid_base_url', message: 'base-url must be https: (http: on localhost only)' });
        }
      });
    }

    it('names the error code of each invalid input', async () => {
      const before = requestsStarted();
      for (const [, attributes, code] of cases) {
        const element = document.createElement('chartio-embed');
        const errors = record(element, 'chartio-error');
        for (const [name, value] of Object.entries({ dashboard: '38727', 'token-endpoint': ENDPOINT, 'base-url': baseUrl(38727), ...attributes })) {
          element.setAttribute(name, value);
        }
        document.body.append(element);
        await settle();
        element.remove();
        expect(errors.map((event) => event.detail.code)).to.deep.equal([code]);
        expect(errors[0]!.detail.phase).to.equal('config');
      }
      expect(requestsStarted()).to.equal(before);
      expect(await received()).to.have.length(0);
    });

    it('refuses a filters property value that is not a string or a list of strings', async () => {
      const before = requestsStarted();
      const element = document.createElement('chartio-embed');
      const errors = record(element, 'chartio-error');
      Object.assign(element, { dashboard: 5, tokenEndpoint: ENDPOINT, baseUrl: baseUrl(5), filters: { USER_ID: { id: 1 } } });
      document.body.append(element);
      await settle();
      element.remove();
      expect(errors[0]!.detail).to.deep.equal({ phase: 'config', code: 'invalid_filters', message: 'USER_ID must be a string or a list of strings' });
      expect(requestsStarted()).to.equal(before);
      expect(await received()).to.have.length(0);
    });
  });

  it('shows the endpoint\'s 4xx error with its code, does not retry, and offers no Retry', async () => {
    const warnings = watchWarnings();
    const element = await mount({ dashboard: String(FORBIDDEN_DASHBOARD), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(FORBIDDEN_DASHBOARD) });
    const detail = await next(element, 'chartio-error');
    expect(detail).to.include({ phase: 'token', status: 403, code: 'dashboard_not_allowed' });
    expect(detail.message).to.contain(`Dashboard ${FORBIDDEN_DASHBOARD} may not be embedded`);
    await element.updateComplete;
    const error = part(element, 'error')!;
    expect(error.getAttribute('role')).to.equal('alert');
    // The viewer reads a sentence, with no Retry (a refusal does not change by asking again);
    // the developer gets code, status and message once in the console.
    expect(error.textContent).to.equal('This dashboard can’t be shown.');
    expect(error.querySelector('button')).to.equal(null);
    expect(warnings.map((warning) => warning.join(' '))).to.deep.equal([`<chartio-embed> token error dashboard_not_allowed (HTTP 403): ${detail.message}`]);
    expect(time.pending, 'no retry timer').to.deep.equal([]);
    time.tick(60_000);
    await settle();
    expect(await received()).to.have.length(1);
    expect(warnings).to.have.length(1);
  });

  it('reports a filter the endpoint refuses (400) and a locked one', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id), 'filter-secret': 'x' });
    expect(await next(element, 'chartio-error')).to.include({ phase: 'token', status: 400, code: 'filter_not_allowed' });
    element.removeAttribute('filter-secret');
    element.setAttribute('filter-acct-id', '2');
    expect(await next(element, 'chartio-error')).to.include({ phase: 'token', status: 400, code: 'filter_locked' });
  });

  it('retries a 5xx three times, 1 s, 2 s and 4 s apart, then shows the error', async () => {
    await control({ fail: [500, 502, 503, 500] });
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    const errors = record(element, 'chartio-error');
    await untilTimers(1000);
    expect(part(element, 'loading'), 'still loading while retrying').to.not.equal(null);
    time.tick(999);
    await settle();
    expect(await received()).to.have.length(1);
    time.tick(1);
    await receivedAtLeast(2);
    await untilTimers(2000);
    time.tick(2000);
    await receivedAtLeast(3);
    await untilTimers(4000);
    expect(errors).to.deep.equal([]);
    const error = next(element, 'chartio-error');
    time.tick(4000);
    expect(await error).to.deep.equal({ phase: 'token', status: 500, code: 'injected_500', message: 'Injected failure 500' });
    expect(time.pending).to.deep.equal([]);
    expect(await received()).to.have.length(4);
    // Retrying may help a 5xx: the viewer gets the words for it, and a Retry button.
    await element.updateComplete;
    expect(part(element, 'error')!.querySelector('span')!.textContent).to.equal('This dashboard can’t be shown right now.');
    expect(part(element, 'error')!.querySelector('button')!.textContent).to.equal('Retry');
  });

  it('gives each new failure the full three retries, however many earlier ones used', async () => {
    // One 503 recovered by a retry, then three 500s for new filters: still 1 s, 2 s, 4 s.
    await control({ fail: [503] });
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await untilTimers(1000);
    const recovered = next(element, 'chartio-load');
    time.tick(1000);
    await recovered;
    await control({ fail: [500, 500, 500, 500] });
    element.refresh(); // the same filters: only the success may have reset the count
    for (const backoff of [1000, 2000, 4000]) {
      await untilTimers(backoff);
      time.tick(backoff);
    }
    expect(await next(element, 'chartio-error')).to.include({ status: 500 });
    expect(await received()).to.have.length(6);
  });

  it('starts the retries over for new filters', async () => {
    await control({ fail: [500, 500, 500] });
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await untilTimers(1000);
    time.tick(1000);
    await untilTimers(2000); // two of three retries left for these filters
    element.setAttribute('filter-user-id', '9');
    await untilTimers(1000); // new filters, failing at once: back to the first backoff
  });

  it('recovers when a retry succeeds', async () => {
    await control({ fail: [503] });
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await untilTimers(1000);
    const loaded = next(element, 'chartio-load');
    time.tick(1000);
    await loaded;
    expect((await received()).map((request) => request.status)).to.deep.equal([503, 200]);
  });

  it('retries a network failure, and reports `network` when it persists', async () => {
    await control({ down: true });
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await untilTimers(1000);
    time.tick(1000);
    await untilTimers(2000);
    time.tick(2000);
    await untilTimers(4000);
    const error = next(element, 'chartio-error');
    time.tick(4000);
    expect(await error).to.deep.equal({ phase: 'token', status: undefined, code: 'network', message: 'Token endpoint unreachable' });

    // Back up: the Retry button loads it.
    await control({ down: false });
    const loaded = next(element, 'chartio-load');
    part(element, 'error')!.querySelector('button')!.click();
    await loaded;
    expect(part(element, 'error')).to.equal(null);
  });

  it('times a request out after 15 s (or `timeout` ms), aborts it and retries', async () => {
    await control({ hold: true });
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await receivedAtLeast(1);
    expect(time.pending).to.deep.equal([15_000]);
    time.tick(15_000);
    await untilTimers(1000);
    await waitUntil(async () => (await received())[0]!.aborted, 'the timed-out request was never aborted');
    await control({ hold: false });
    const loaded = next(element, 'chartio-load');
    time.tick(1000);
    await loaded;

    element.timeout = 5000;
    await control({ hold: true });
    element.setAttribute('filter-user-id', '1');
    await receivedAtLeast(3);
    const timers = time.pending;
    expect(timers).to.deep.equal([5000]);
    time.tick(5000);
    await untilTimers(1000);
  });

  it('refuses an answer without a valid token and leaves the frame alone', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
    await next(element, 'chartio-load');
    const shown = frames(element).shown!;
    const src = shown.src;

    for (const failure of ['bad-token', 'not-json'] as const) {
      await control({ fail: [failure] });
      element.setAttribute('filter-user-id', failure);
      expect(await next(element, 'chartio-error')).to.deep.equal({
        phase: 'token',
        status: undefined,
        code: 'bad_answer',
        message: 'No valid token in the answer',
      });
      expect(frames(element).shown).to.equal(shown);
      expect(shown.src).to.equal(src);
      expect(frames(element).next).to.equal(undefined);
      expect(time.pending, 'no retry').to.deep.equal([]);
    }
  });

  it('reports a frame that never loads, and retries it from the kept token', async () => {
    const id = newDashboard();
    const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': `${location.origin}/hang/${SESSION}` });
    await next(element, 'chartio-token');
    expect(frames(element).next).to.not.equal(undefined);
    expect(time.pending).to.deep.equal([15_000]);
    const error = next(element, 'chartio-error');
    time.tick(15_000);
    expect(await error).to.deep.equal({ phase: 'frame', code: 'frame_timeout', message: 'The dashboard did not load in time' });
    expect(frames(element).next, 'the hung frame is dropped').to.equal(undefined);
    await element.updateComplete;

    const token = next(element, 'chartio-token');
    part(element, 'error')!.querySelector('button')!.click();
    expect(await token).to.include({ reused: true });
    expect(frames(element).next).to.not.equal(undefined);
    expect(await received()).to.have.length(1);
  });

  describe('offline', () => {
    let onLine: PropertyDescriptor | undefined;
    beforeEach(() => {
      onLine = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
    });
    afterEach(() => {
      Object.defineProperty(Navigator.prototype, 'onLine', onLine!);
    });
    const setOnLine = (value: boolean) => Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => value });

    it('waits for the `online` event instead of retrying on a timer', async () => {
      setOnLine(false);
      await control({ down: true });
      const id = newDashboard();
      const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
      expect(await next(element, 'chartio-error')).to.deep.equal({ phase: 'token', code: 'offline', message: 'Offline: will load when back online' });
      expect(time.pending).to.deep.equal([]);
      // It loads by itself once online: no Retry to press.
      await element.updateComplete;
      expect(part(element, 'error')!.textContent).to.equal('You’re offline: it will load when you’re back online.');
      expect(part(element, 'error')!.querySelector('button')).to.equal(null);

      setOnLine(true);
      await control({ down: false });
      const loaded = next(element, 'chartio-load');
      dispatchEvent(new Event('online'));
      await loaded;
    });

    it('does nothing on `online` once disconnected while waiting for it', async () => {
      setOnLine(false);
      await control({ down: true });
      const id = newDashboard();
      const element = await mount({ dashboard: String(id), 'token-endpoint': ENDPOINT, 'base-url': baseUrl(id) });
      expect(await next(element, 'chartio-error')).to.include({ code: 'offline' });
      const before = (await received()).length;
      element.remove();
      setOnLine(true);
      await control({ down: false });
      const events = record(element, 'chartio-token', 'chartio-error', 'chartio-load');
      dispatchEvent(new Event('online'));
      await settle();
      expect(events).to.deep.equal([]);
      expect(await received()).to.have.length(before);
    });
  });
});

export type { ChartioEmbedElement };
