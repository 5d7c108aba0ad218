/**
 * A chart's "Download CSV" button on the host's real page: the page runtime fetches the chart's
 * CSV with the token in the `Authorization` header (not in the URL), saves it through a Blob URL,
 * and says in the status beside the button when the host refuses.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { OVERVIEW, openPage, PAGE_TIMEOUT_MS, tokenFor, type FramedPage, type Suite } from './support/framed-page.js';

const YEAR = { DATE_RANGE: ['2014-01-01', '2014-12-31'] };

/** Records the page's fetches and the blobs it saves (the real ones still run). */
function watch(page: FramedPage): { requests: { url: string; authorization: string | null }[]; saved: Blob[] } {
  const requests: { url: string; authorization: string | null }[] = [];
  const saved: Blob[] = [];
  const realFetch = page.win.fetch;
  page.win.fetch = (input, init) => {
    requests.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return realFetch(input, init);
  };
  const realCreate = page.win.URL.createObjectURL;
  page.win.URL.createObjectURL = (blob: Blob) => (saved.push(blob), realCreate(blob));
  return { requests, saved };
}

describe('page runtime: downloads', function (this: Suite) {
  this.timeout(PAGE_TIMEOUT_MS);

  it('fetches the chart\'s CSV with the token in a header and saves it', async () => {
    const token = await tokenFor(OVERVIEW, YEAR);
    const page = await openPage(OVERVIEW, token);
    const { requests, saved } = watch(page);
    const button = page.doc.querySelector<HTMLButtonElement>('#chart-5 button.download')!;
    button.click();
    expect(button.getAttribute('aria-busy')).to.equal('true');
    await waitUntil(() => !button.hasAttribute('aria-busy'), 'the download never finished', { timeout: PAGE_TIMEOUT_MS - 2_000 });
    expect(requests).to.deep.equal([{ url: `/host/d/${OVERVIEW}/charts/5.csv`, authorization: `Bearer ${token}` }]);
    expect(saved.length).to.equal(1);
    const header = (await saved[0]!.text()).split(/\r?\n/)[0];
    expect(header).to.equal([...page.doc.querySelectorAll('#chart-5 thead th')].map((th) => th.textContent).join(','));
    expect(button.nextElementSibling!.textContent).to.equal('');
    page.close();
  });

  it('says the download failed when the host refuses it, and saves nothing', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, YEAR));
    const { saved } = watch(page);
    // The page downloads with the token of its URL: one the host does not accept.
    const url = new URL(page.win.location.href);
    url.searchParams.set('embed_token', await tokenFor(OVERVIEW, YEAR, true));
    page.win.history.replaceState(null, '', url);
    const button = page.doc.querySelector<HTMLButtonElement>('#chart-5 button.download')!;
    button.click();
    await waitUntil(() => !button.hasAttribute('aria-busy'), 'the download never finished', { timeout: PAGE_TIMEOUT_MS - 2_000 });
    expect(button.nextElementSibling!.textContent).to.equal('The download failed. Try again in a moment.');
    expect(saved).to.deep.equal([]);
    page.close();
  });
});
