/**
 * A new token shown in place by the page runtime (`chartio:token` from its parent): the data
 * fetched with the token in a header, `<main>` swapped with its charts drawn by the host,
 * the URL naming the new token, ready for it; and the errors that send the element to the
 * token's URL instead: a version the page does not speak, a data route that fails.
 */
import { expect } from '@open-wc/testing';
import { OVERVIEW, openPage, PAGE_TIMEOUT_MS, tokenFor, type Suite } from './support/framed-page.js';

describe('page runtime: a token shown in place', function (this: Suite) {
  this.timeout(PAGE_TIMEOUT_MS);

  it('swaps in the new dashboard, its charts drawn for the new data, and posts ready for that token', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, { DATE_RANGE: ['2014-01-01', '2014-12-31'] }));
    const drawings = () => [...page.doc.querySelectorAll<HTMLElement>('.chart-svg > [data-points]')].map((drawing) => drawing.dataset.points);
    const yearDrawings = drawings();
    const orders = () => page.doc.querySelector('#chart-0 .value')!.textContent;
    const yearOrders = orders();
    const main = page.doc.querySelector('main');
    const headers: string[] = [];
    const realFetch = page.win.fetch;
    page.win.fetch = (input, init) => (headers.push(new Headers(init?.headers).get('authorization') ?? ''), realFetch(input, init));

    const token = await tokenFor(OVERVIEW, { DATE_RANGE: ['2014-01-01', '2014-03-31'] });
    const count = page.posted.length;
    page.send({ type: 'chartio:token', token });
    const ready = await page.next((message) => message.type === 'chartio:ready', count);
    // When the new token's data was read: the host's run, moments ago.
    expect(Math.abs(Date.now() - Date.parse(ready.dataTime))).to.be.below(60_000);
    expect(ready).to.deep.equal({ type: 'chartio:ready', version: 1, dashboard: OVERVIEW, token, dataTime: ready.dataTime });
    expect(page.doc.querySelector('main > h1 + #chartio-updated')!.textContent).to.match(/^Updated (now|\d+ seconds? ago)$/);
    expect(page.doc.querySelector('#chartio-updated time')!.getAttribute('datetime')).to.equal(ready.dataTime);

    expect(headers).to.deep.equal([`Bearer ${token}`]);
    expect(page.doc.querySelector('main')).to.not.equal(main, '<main> is the new one');
    expect(orders()).to.not.equal(yearOrders, 'a quarter has fewer orders than the year');
    expect(drawings().length).to.equal(yearDrawings.length, 'every drawing, at each width');
    expect(drawings()).to.not.deep.equal(yearDrawings, 'drawn for the quarter');
    expect(new URL(page.win.location.href).searchParams.get('embed_token')).to.equal(token);
    expect(page.doc.getElementById('chartio-updating')).to.equal(null);
    page.close();
  });

  it('answers a token of another protocol version with in_place_unsupported, and fetches nothing', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
    let fetches = 0;
    const realFetch = page.win.fetch;
    page.win.fetch = (input, init) => (fetches++, realFetch(input, init));
    const token = await tokenFor(OVERVIEW, { USER_ID: '4' });
    const count = page.posted.length;
    page.send({ type: 'chartio:token', version: 2, token });
    const error = await page.next((message) => message.type === 'chartio:error', count);
    expect(error).to.deep.equal({ type: 'chartio:error', version: 1, code: 'in_place_unsupported', status: 0, retryable: false, token });
    expect(fetches).to.equal(0);
    page.close();
  });

  it('ignores a token that is not a compact JWS (the protocol\'s check), posting nothing', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
    let fetches = 0;
    const realFetch = page.win.fetch;
    page.win.fetch = (input, init) => (fetches++, realFetch(input, init));
    const count = page.posted.length;
    page.send({ type: 'chartio:token', token: 'not.a-token' });
    page.send({ type: 'chartio:token', token: `${'a'.repeat(16_380)}.b.c` });
    // A well-formed message after them is answered: the two before it were dropped, not pending.
    page.send({ type: 'chartio:token', version: 2, token: 'a.b.c' });
    await page.next((message) => message.type === 'chartio:error', count);
    // Only answers to a token count: the page may post its height at any time (Firefox does,
    // after a late layout), and a height message names no token.
    const answers = page.posted.slice(count).filter((message) => message.type === 'chartio:ready' || message.type === 'chartio:error');
    expect(answers.map((message) => message.token)).to.deep.equal(['a.b.c']);
    expect(fetches).to.equal(0);
    page.close();
  });

  it('posts the data route\'s error for that token and keeps its dashboard', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
    const main = page.doc.querySelector('main');
    const token = await tokenFor(OVERVIEW, { REGION: 'x-fail-data' });
    const count = page.posted.length;
    page.send({ type: 'chartio:token', token });
    const error = await page.next((message) => message.type === 'chartio:error', count);
    expect(error).to.deep.equal({ type: 'chartio:error', version: 1, code: 'queue_full', status: 503, retryable: true, token });
    expect(page.doc.querySelector('main')).to.equal(main);
    expect(page.doc.querySelector('main')!.hasAttribute('aria-busy')).to.equal(false);
    page.close();
  });
});
