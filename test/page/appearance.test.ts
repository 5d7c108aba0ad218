/**
 * The page's look, on the host's real page: the frame URL's fragment applied before the page
 * script runs (theme, accent, locale), and a `chartio:appearance` message applied in place
 * (theme, accent, font, locale, the charts restyled) with no request; what a message leaves out
 * goes back to the default, and what CSS or Intl refuses is left out.
 */
import { expect } from '@open-wc/testing';
import { applyLook } from '../../src/page/look.js';
import { accentOf, drawingOf, OVERVIEW, openPage, PAGE_TIMEOUT_MS, tokenFor, type FramedPage, type Suite } from './support/framed-page.js';

const YEAR = { DATE_RANGE: ['2014-01-01', '2014-12-31'] };

const rootOf = (page: FramedPage) => page.doc.documentElement;
const lineColor = (page: FramedPage) => accentOf(page, drawingOf(page, '#chart-3'));
const ordersText = (page: FramedPage) => page.doc.querySelector('#chart-0 .value')!.textContent!;
const revenueText = (page: FramedPage) => page.doc.querySelector('#chart-1 .value')!.textContent!.replace(/\s/g, ' ');

describe('page runtime: appearance', function (this: Suite) {
  this.timeout(PAGE_TIMEOUT_MS);

  it('applies the fragment\'s theme, accent and locale before it posts ready', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, YEAR), 'theme=dark&accent=%23e8590c&locale=de-DE');
    expect(rootOf(page).dataset.theme).to.equal('dark');
    expect(rootOf(page).style.getPropertyValue('--chosen-accent')).to.equal('#e8590c');
    expect(rootOf(page).hasAttribute('data-reformat')).to.equal(false, 'the charts are shown again');
    expect(page.doc.querySelector('.charts')!.getAttribute('data-locale')).to.equal('de-DE');
    expect(revenueText(page)).to.match(/^\d{1,3}(\.\d{3})*,\d\d \$$/, 'German grouping and decimals, the dollar sign after');
    expect(lineColor(page)).to.equal('rgb(232, 89, 12)', 'the chart is in the accent');
    page.close();
  });

  it('applies a chartio:appearance message in place, with no request, and restyles the charts', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, YEAR));
    const english = ordersText(page);
    let fetches = 0;
    const realFetch = page.win.fetch;
    page.win.fetch = (input, init) => (fetches++, realFetch(input, init));
    const drawing = drawingOf(page, '#chart-3');
    const tick = drawing.querySelector<SVGTextElement>('text[data-format^="currency"]')!;
    const englishTick = tick.textContent!;
    page.send({ type: 'chartio:appearance', theme: 'dark', accent: 'rgb(1, 2, 3)', font: 'serif', locale: 'de-DE' });
    // The page acts on the message in its own listener, which ran before this one's wait ends.
    await new Promise((resolve) => page.win.addEventListener('message', resolve, { once: true }));
    expect(rootOf(page).dataset.theme).to.equal('dark');
    expect(page.win.getComputedStyle(rootOf(page)).fontFamily).to.equal('serif');
    expect(lineColor(page)).to.equal('rgb(1, 2, 3)');
    expect(drawingOf(page, '#chart-3')).to.equal(drawing, 'restyled in place: the same drawing');
    expect(tick.textContent).to.not.equal(englishTick, 'the drawing\'s ticks re-formatted for the locale');
    expect(tick.textContent).to.match(/\$$/, 'German: the dollar sign after');
    expect(ordersText(page)).to.equal(english.replace(/,/g, '.'), 'German grouping');
    expect(fetches).to.equal(0);
    page.close();
  });

  it('takes each message as the whole look: what it leaves out, or CSS refuses, goes back to the default', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, YEAR), 'theme=dark&accent=red&locale=de-DE');
    const waitForLook = () => new Promise((resolve) => page.win.addEventListener('message', resolve, { once: true }));
    const handled = waitForLook();
    page.send({ type: 'chartio:appearance', theme: 'sepia', accent: 'not-a-colour;}', locale: 'not a locale' });
    await handled;
    expect(rootOf(page).dataset.theme).to.equal('light');
    expect(rootOf(page).style.getPropertyValue('--chosen-accent')).to.equal('');
    expect(page.doc.querySelector('.charts')!.getAttribute('data-locale')).to.equal('en-US');
    page.close();
  });
});

describe('page runtime: applyLook (look.ts)', () => {
  const root = document.documentElement;
  afterEach(() => {
    delete root.dataset.theme;
    root.style.removeProperty('--chosen-accent');
    root.style.removeProperty('--chosen-font');
  });

  it('returns the canonical locale, or the server\'s for an invalid one or none', () => {
    expect(applyLook({ locale: 'de-de' })).to.equal('de-DE');
    expect(applyLook({ locale: 'not a locale' })).to.equal('en-US');
    expect(applyLook({})).to.equal('en-US');
    expect(applyLook({ locale: 42 })).to.equal('en-US');
  });

  it('sets a known theme, else light; a colour and font CSS accepts, up to 200 characters', () => {
    applyLook({ theme: 'auto', accent: '#123456', font: 'Georgia, serif' });
    expect([root.dataset.theme, root.style.getPropertyValue('--chosen-accent'), root.style.getPropertyValue('--chosen-font')]).to.deep.equal(['auto', '#123456', 'Georgia, serif']);
    applyLook({ theme: 'AUTO', accent: `#${'1'.repeat(200)}`, font: 'serif}' });
    expect([root.dataset.theme, root.style.getPropertyValue('--chosen-accent'), root.style.getPropertyValue('--chosen-font')]).to.deep.equal(['light', '', '']);
  });
});
