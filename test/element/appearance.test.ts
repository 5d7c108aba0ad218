/**
 * Themes and locale, chosen by the embedding page, against the real dashboard host (mounted
 * beside the token endpoint, over the demo dataset): `theme`, `locale`, `--chartio-accent` and
 * `--chartio-font` reach the page on show in place (`chartio:appearance`) with no token request,
 * no request by the page at all, no event and no navigation, while its colours and numbers
 * change; a new frame gets the look in its URL's fragment; a look changed while a frame loaded is
 * posted once it is ready; a theme or locale the element cannot use is a config error.
 */
import { expect } from '@open-wc/testing';
import type { ChartioEmbedElement } from '../../src/element/index.js';
import { ENDPOINT, frames, hostUrl, isolateEachTest, mount, next, part, received, record, requestsStarted, settle, waitUntil } from './support/harness.js';

const OVERVIEW = 38727;

type PageWindow = Window & typeof globalThis & {
  marker?: object;
  Chart?: { getChart(canvas: Element): { data: { datasets: { backgroundColor: string }[] } } | undefined };
};

/** The page on show: its window, and what the viewer sees of its look. */
function pageOf(element: ChartioEmbedElement) {
  const window = frames(element).shown!.contentWindow as PageWindow;
  const document = window.document;
  return {
    window,
    theme: () => document.documentElement.dataset.theme,
    background: () => window.getComputedStyle(document.documentElement).backgroundColor,
    font: () => window.getComputedStyle(document.documentElement).fontFamily,
    locale: () => (document.querySelector('.charts') as HTMLElement | null)?.dataset.locale,
    /** "Revenue (USD)", a currency number. */
    revenue: () => document.querySelector('#chart-1 .value')!.textContent,
    // Each drawn chart's first series, as the browser paints it (the host's SVG names the colour as a custom property).
    series: () =>
      [...document.querySelectorAll('.chart-svg')].map((drawing) => {
        const shape = drawing.querySelector('[stroke="var(--series)"], [fill="var(--series)"]')!;
        const style = window.getComputedStyle(shape);
        return shape.getAttribute('stroke') === 'var(--series)' ? style.stroke : style.fill;
      }),
    resources: () => window.performance.getEntriesByType('resource').length,
  };
}

describe('<chartio-embed> theme, locale and custom properties', () => {
  isolateEachTest();

  const hosted = (more: Record<string, string> = {}) => ({
    dashboard: String(OVERVIEW),
    'token-endpoint': ENDPOINT,
    'base-url': hostUrl(OVERVIEW),
    'filter-date-range': '["2014-01-01","2014-12-31"]',
    ...more,
  });

  it('changes the page on show in place: colours and numbers change, no token request, no request by the page, no event', async () => {
    const element = await mount(hosted());
    await next(element, 'chartio-load');
    const page = pageOf(element);
    if (page.window.document.readyState !== 'complete') await new Promise((resolve) => page.window.addEventListener('load', resolve, { once: true }));
    const marker = (page.window.marker = {});
    const light = { background: page.background(), revenue: page.revenue(), series: page.series(), font: page.font() };
    expect(page.theme()).to.equal('light');
    expect(page.locale()).to.equal('en-US');
    expect(light.revenue).to.match(/^\$[\d,]+\.\d\d$/);
    const asked = requestsStarted();
    const resources = page.resources();
    const events = record(element, 'chartio-token', 'chartio-load', 'chartio-error');

    element.theme = 'dark';
    element.setAttribute('locale', 'de-DE');
    element.style.setProperty('--chartio-accent', 'rgb(232, 89, 12)');
    await waitUntil(() => page.theme() === 'dark' && page.locale() === 'de-DE', 'the page never took the look');
    expect(element.getAttribute('theme'), 'reflected').to.equal('dark');
    expect(page.background()).to.not.equal(light.background);
    expect(page.revenue()).to.match(/^[\d.]+,\d\d\s\$$/, 'German separators, the dollar sign after');
    expect(page.series()).to.deep.equal(['rgb(232, 89, 12)', 'rgb(232, 89, 12)']);

    // A custom property alone is read at the element's next update.
    element.style.setProperty('--chartio-font', 'Georgia, serif');
    element.requestUpdate();
    await waitUntil(() => page.font() === 'Georgia, serif', 'the page never took the font');

    // Back to the defaults: exactly the page as it was.
    element.removeAttribute('theme');
    element.removeAttribute('locale');
    element.style.removeProperty('--chartio-accent');
    element.style.removeProperty('--chartio-font');
    await waitUntil(() => page.theme() === 'light' && page.locale() === 'en-US');
    expect({ background: page.background(), revenue: page.revenue(), series: page.series(), font: page.font() }).to.deep.equal(light);

    await settle();
    expect(requestsStarted(), 'no token request').to.equal(asked);
    expect(await received()).to.have.length(1);
    expect(page.resources(), 'the page fetched nothing: no data, no query').to.equal(resources);
    expect(events, 'no token, no load, no error').to.deep.equal([]);
    expect(frames(element).shown!.contentWindow).to.equal(page.window);
    expect(page.window.marker, 'the same document: no navigation').to.equal(marker);
  });

  it('gives a new frame the look in its URL\'s fragment, so the page paints in it', async () => {
    const element = await mount(hosted({ theme: 'dark', locale: 'de-DE' }), (element) => element.style.setProperty('--chartio-accent', '#e8590c'));
    await next(element, 'chartio-load');
    const shown = frames(element).shown!;
    expect(new URL(shown.src).hash).to.equal('#theme=dark&locale=de-DE&accent=%23e8590c');
    const page = pageOf(element);
    expect(page.theme()).to.equal('dark');
    expect(page.locale()).to.equal('de-DE');
    expect(page.series()).to.deep.equal(['rgb(232, 89, 12)', 'rgb(232, 89, 12)'], 'the accent #e8590c');
    // The fragment is the frame's own: the token is in the URL's query, alone, as the protocol says.
    expect([...new URL(shown.src).searchParams.keys()]).to.deep.equal(['embed_token']);
  });

  it('posts a look that changed while a new frame loaded, once that frame is ready', async () => {
    const element = await mount(hosted());
    await next(element, 'chartio-load');
    const loaded = next(element, 'chartio-load');
    element.reload();
    const loading = frames(element).next!;
    expect(new URL(loading.src).hash, 'loaded in the look of the moment').to.equal('');
    element.theme = 'dark';
    await loaded;
    expect(frames(element).shown).to.equal(loading);
    await waitUntil(() => pageOf(element).theme() === 'dark', 'the new page never took the look');
  });

  it('refuses a theme or a locale it cannot use, with no request', async () => {
    const element = await mount(hosted({ theme: 'neon' }));
    expect(await next(element, 'chartio-error')).to.deep.equal({ phase: 'config', code: 'invalid_theme', message: 'theme must be light, dark or auto' });
    element.setAttribute('theme', 'auto');
    element.setAttribute('locale', 'not a locale!');
    expect(await next(element, 'chartio-error')).to.deep.equal({ phase: 'config', code: 'invalid_locale', message: 'locale must be a BCP 47 language tag, like de-DE' });
    expect(await received()).to.deep.equal([]);
    await element.updateComplete;
    // The element's own boxes follow the theme's colour scheme.
    expect(getComputedStyle(part(element, 'error')!).colorScheme).to.equal('light dark');
    element.setAttribute('locale', 'fr-CA');
    await next(element, 'chartio-load');
    expect(pageOf(element).locale()).to.equal('fr-CA');
  });
});
