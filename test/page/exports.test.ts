/**
 * A chart's "Download image" buttons (SVG and PNG, src/page/export-image.ts) and print
 * (`chartio:print`, src/page/print.ts) on the host's real page. The chart's server-drawn `<svg>`
 * is put in the line chart's figure by the test (markup like the host's SVG charts: colours as
 * theme variables), in the dark theme, so the files must carry the colours in effect.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { OVERVIEW, openPage, PAGE_TIMEOUT_MS, tokenFor, type FramedPage, type Suite } from './support/framed-page.js';

/** The dark theme's series colour and background (src/host/page/page-theme.ts), as computed colours. */
const DARK_SERIES = 'rgb(96, 165, 250)';
const DARK_BACKGROUND = 'rgb(17, 24, 39)';

/** A server-drawn chart's SVG: a bar in the series colour and a label in the text colour, both theme variables. */
const CHART_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150" role="img" aria-label="Revenue per month">' +
  '<rect x="10" y="10" width="100" height="100" fill="var(--series)"/>' +
  '<text x="150" y="140" fill="var(--fg)" style="font-size:12px">Jan</text></svg>';

/** The line chart's figure without its drawing (as a chart the host does not draw). */
function undraw(page: FramedPage): HTMLElement {
  const figure = page.doc.querySelector<HTMLElement>('figure.chart-line')!;
  figure.querySelector('.chart-svg')?.remove();
  return figure;
}

/** Puts a known SVG in the line chart's figure in place of the host's drawing, as the host wraps its drawings. */
function drawSvg(page: FramedPage): HTMLElement {
  const figure = undraw(page);
  figure.querySelector('h2')!.insertAdjacentHTML('afterend', `<div class="chart-svg">${CHART_SVG}</div>`);
  return figure;
}

/** Records the files the page saves: each Blob and the name of the link that saves it (the real ones still run). */
function watchSaves(page: FramedPage): { blobs: Blob[]; names: string[] } {
  const blobs: Blob[] = [];
  const names: string[] = [];
  const realCreate = page.win.URL.createObjectURL;
  page.win.URL.createObjectURL = (blob: Blob) => (blobs.push(blob), realCreate(blob));
  const anchor = page.win.HTMLAnchorElement.prototype;
  const realClick = anchor.click;
  anchor.click = function (this: HTMLAnchorElement) {
    names.push(this.download);
    realClick.call(this);
  };
  return { blobs, names };
}

const visible = (element: Element): boolean => getComputedStyle(element).display !== 'none';

describe('page runtime: image downloads and print', function (this: Suite) {
  this.timeout(PAGE_TIMEOUT_MS);

  it('offers SVG and PNG beside Download CSV on a chart with an SVG only', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
    const figure = page.doc.querySelector('figure.chart-line')!;
    const group = figure.querySelector('.chart-actions .image-download')!;
    expect(group.previousElementSibling!.previousElementSibling!.matches('button.download'), 'after the CSV button and its status').to.equal(true);
    expect(group.getAttribute('role')).to.equal('group');
    expect([...group.querySelectorAll('button')].map((button) => button.getAttribute('aria-label'))).to.deep.equal([
      'Download image as SVG',
      'Download image as PNG',
    ]);
    expect(visible(group), 'the host drew the chart: shown').to.equal(true);
    undraw(page);
    expect(visible(group), 'no drawing in the figure: hidden').to.equal(false);
    drawSvg(page);
    expect(visible(group)).to.equal(true);
    // A table has its CSV button, and no image to give.
    expect(visible(page.doc.querySelector('figure.chart-table .image-download')!)).to.equal(false);
    page.close();
  });

  it('saves the SVG with the dark theme\'s colours written out and its background, as a standalone file', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW), 'theme=dark');
    const figure = drawSvg(page);
    const saves = watchSaves(page);
    figure.querySelector<HTMLButtonElement>('.download-image[data-format=svg]')!.click();
    await waitUntil(() => saves.blobs.length === 1, 'the SVG was never saved', { timeout: PAGE_TIMEOUT_MS - 2_000 });
    expect(saves.names).to.deep.equal(['revenue-per-month.svg']);
    expect(saves.blobs[0]!.type).to.equal('image/svg+xml');
    const text = await saves.blobs[0]!.text();
    expect(text).to.not.include('var(');
    const file = new DOMParser().parseFromString(text, 'image/svg+xml');
    expect(file.querySelector('parsererror')).to.equal(null);
    const svg = file.documentElement;
    expect([svg.getAttribute('width'), svg.getAttribute('height')]).to.deep.equal(['300', '150']);
    expect(svg.firstElementChild!.getAttribute('fill'), 'the page\'s background behind the chart').to.equal(DARK_BACKGROUND);
    expect(file.querySelector('rect[x="10"]')!.getAttribute('fill')).to.equal(DARK_SERIES);
    const label = file.querySelector('text')!;
    expect(label.getAttribute('fill')).to.equal(getComputedStyle(page.doc.querySelector('figure.chart-line text')!).fill);
    expect(label.style.fontFamily, 'the page\'s font').to.not.equal('');
    // The page's own SVG is untouched.
    expect(figure.querySelector('rect')!.getAttribute('fill')).to.equal('var(--series)');
    page.close();
  });

  it('saves a PNG drawn from the SVG at 2× the CSS size, in the theme\'s colours, from the keyboard', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW), 'theme=dark');
    const figure = drawSvg(page);
    const saves = watchSaves(page);
    // Tab from Download CSV reaches SVG, then PNG: native buttons, which the browser activates
    // with Enter or Space by a click (the runtime listens for clicks). Firefox's driver does not
    // deliver Enter into a frame, so the activation is the click itself.
    figure.querySelector<HTMLButtonElement>('button.download')!.focus();
    await sendKeys({ press: 'Tab' });
    expect(page.doc.activeElement!.getAttribute('aria-label')).to.equal('Download image as SVG');
    await sendKeys({ press: 'Tab' });
    expect(page.doc.activeElement!.getAttribute('aria-label')).to.equal('Download image as PNG');
    (page.doc.activeElement as HTMLButtonElement).click();
    const status = figure.querySelector('.image-download [role=status]')!;
    await waitUntil(() => saves.blobs.length === 1 || status.textContent, 'the PNG was never saved', { timeout: PAGE_TIMEOUT_MS - 2_000 });
    expect(status.textContent).to.equal('');
    expect(saves.names).to.deep.equal(['revenue-per-month.png']);
    expect(saves.blobs[0]!.type).to.equal('image/png');
    const image = await createImageBitmap(saves.blobs[0]!);
    expect([image.width, image.height]).to.deep.equal([600, 300]);
    const canvas = Object.assign(document.createElement('canvas'), { width: 600, height: 300 });
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixel = (x: number, y: number) => `rgb(${[...context.getImageData(x, y, 1, 1).data.slice(0, 3)].join(', ')})`;
    expect(pixel(100, 100), 'inside the bar').to.equal(DARK_SERIES);
    expect(pixel(500, 50), 'the background').to.equal(DARK_BACKGROUND);
    page.close();
  });

  it('prints when its parent asks (chartio:print), and ignores the message from anyone else', async () => {
    const page = await openPage(OVERVIEW, await tokenFor(OVERVIEW));
    let printed = 0;
    page.win.print = () => void printed++;
    // From another window (a frame of the test page): not its parent.
    const stranger = document.body.appendChild(document.createElement('iframe'));
    (stranger.contentWindow as Window & { eval(code: string): void }).eval(
      "parent.document.querySelector('iframe[src*=\"/host/\"]').contentWindow.postMessage({ type: 'chartio:print', version: 1 }, '*')",
    );
    page.send({ type: 'chartio:print' });
    await waitUntil(() => printed > 0, 'the page never printed', { timeout: PAGE_TIMEOUT_MS - 2_000 });
    expect(printed).to.equal(1);
    stranger.remove();
    page.close();
  });
});
