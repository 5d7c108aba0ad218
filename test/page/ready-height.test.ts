/**
 * The page runtime's first words, on the host's real page: `chartio:ready` for the token of its
 * URL once the charts are drawn (Loading gone), then its height, again whenever it changes; on
 * the host's error page, `chartio:error` with the host's code and status.
 */
import { expect } from '@open-wc/testing';
import { OVERVIEW, openPage, PAGE_TIMEOUT_MS, postedHeight, tokenFor, type Suite } from './support/framed-page.js';

describe('page runtime: ready, error and height', function (this: Suite) {
  this.timeout(PAGE_TIMEOUT_MS);

  it('posts ready for its token with the charts drawn, then the height of its document', async () => {
    const token = await tokenFor(OVERVIEW);
    const page = await openPage(OVERVIEW, token);
    // With when its data was read (the host's run, moments ago).
    const dataTime = page.posted[0]!.dataTime as string;
    expect(Math.abs(Date.now() - Date.parse(dataTime))).to.be.below(60_000);
    expect(page.posted[0]).to.deep.equal({ type: 'chartio:ready', version: 1, dashboard: OVERVIEW, token, dataTime });
    expect(page.doc.getElementById('chartio-loading')).to.equal(null);
    const drawn = [...page.doc.querySelectorAll('.chart-svg')].map((box) => box.closest('figure')!.className);
    expect(drawn).to.deep.equal(['chart chart-line', 'chart chart-bar']);
    // Ready first, then heights; the last one posted is the document's (postedHeight waits for it).
    await postedHeight(page);
    expect(page.posted.findIndex((message) => message.type === 'chartio:height')).to.be.above(0);
    page.close();
  });

  it('posts the new height when the page grows, and not the same height twice', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
    // The height it settled on (not the first posted: a page may lay out again after it).
    const first = await postedHeight(page);
    const count = page.posted.length;
    page.doc.body.append(Object.assign(page.doc.createElement('div'), { style: 'height:300px' }));
    expect(await postedHeight(page, count)).to.equal(first + 300);
    // Each height posted differs from the one before it.
    const heights = page.posted.filter((message) => message.type === 'chartio:height').map((message) => message.height as number);
    expect(heights.filter((height, i) => i > 0 && height === heights[i - 1])).to.deep.equal([]);
    page.close();
  });

  it('on the host\'s error page posts chartio:error with its code and status, not retryable for a 4xx', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, {}, true));
    expect(page.posted[0]).to.deep.equal({ type: 'chartio:error', version: 1, code: 'token_signature', status: 401, retryable: false });
    page.close();
  });
});
