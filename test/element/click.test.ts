/**
 * `chartio-click` against the real dashboard host (mounted beside the token endpoint, over the
 * demo dataset "Account overview"): the detail for each chart type, by mouse and by keyboard,
 * with raw values as the page carries them; only from the frame on show, never from another
 * window; and a fullscreen() that needs a user's gesture refuses without one.
 */
import { expect } from '@open-wc/testing';
import type { ChartioClickDetail, ChartioEmbedElement } from '../../src/element/index.js';
import { CLICK_MESSAGE_TYPE, FRAME_PROTOCOL_VERSION } from '../../src/protocol/frame-messages.js';
import { ENDPOINT, frames, hostUrl, isolateEachTest, message, mount, next, record, settle } from './support/harness.js';

const OVERVIEW = 38727;

type PageWindow = Window & typeof globalThis;

/** The page on show, and the figure of a chart by title. */
async function shownPage(element: ChartioEmbedElement) {
  const window = frames(element).shown!.contentWindow as PageWindow;
  const document = window.document;
  if (document.readyState !== 'complete') await new Promise((resolve) => window.addEventListener('load', resolve, { once: true }));
  const figure = (title: string) => [...document.querySelectorAll('figure')].find((element) => element.querySelector('h2')!.textContent === title)!;
  return { window, document, figure };
}

/** A row of a table as the page shows it, read here from its cells: raw values by column name. */
function rowOf(tr: HTMLTableRowElement): Record<string, string | null> {
  const names = [...tr.closest('table')!.tHead!.rows[0]!.cells].map((th) => th.textContent!);
  return Object.fromEntries([...tr.cells].map((cell, index) => [names[index]!, cell.hasAttribute('data-null') ? null : cell.dataset.value ?? cell.textContent]));
}

/** Clicks point `index` of series `dataset` of a chart, on the shape the host drew for it (in the drawing on show). */
function clickPoint(window: PageWindow, box: HTMLElement, dataset: number, index: number): void {
  const drawing = [...box.children].find((child) => child.getClientRects().length > 0 && child.matches('[data-points]'))!;
  drawing.querySelector(`[ecmeta_series_index="${dataset}"][ecmeta_data_index="${index}"]`)!.dispatchEvent(new window.MouseEvent('click', { bubbles: true }));
}

function press(target: Element, key: string): void {
  target.dispatchEvent(new (target.ownerDocument.defaultView as PageWindow).KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

describe('<chartio-embed> chartio-click', () => {
  isolateEachTest();

  let element: ChartioEmbedElement;
  beforeEach(async () => {
    element = await mount({ dashboard: String(OVERVIEW), 'token-endpoint': ENDPOINT, 'base-url': hostUrl(OVERVIEW), 'filter-date-range': '["2015-01-01","2015-12-31"]' });
    await next(element, 'chartio-load');
  });

  const clicked = (): Promise<ChartioClickDetail> => next(element, 'chartio-click');

  it('a bar: its label, its series, its value and its row', async () => {
    const { window, figure } = await shownPage(element);
    const bars = figure('Orders by product');
    const drawn = bars.querySelector<HTMLElement>('.chart-svg')!;
    const tr = bars.querySelector('tbody')!.rows[2]!;
    const click = clicked();
    // The second series ("refunded or cancelled") of the third product.
    clickPoint(window, drawn, 1, 2);
    const row = rowOf(tr);
    expect(await click).to.deep.equal({ chart: 4, title: 'Orders by product', label: row.product, series: 'refunded or cancelled', value: row['refunded or cancelled'], row });
    expect(row.product).to.equal('Starter');
    expect(Object.keys(row)).to.deep.equal(['product', 'completed', 'refunded or cancelled']);
    expect(Number(row.completed)).to.be.greaterThan(0);
  });

  it('a point of a line: its raw label (the month, not its text) and value', async () => {
    const { window, figure } = await shownPage(element);
    const line = figure('Revenue per month');
    const click = clicked();
    clickPoint(window, line.querySelector<HTMLElement>('.chart-svg')!, 0, 6);
    const detail = await click;
    expect(detail).to.deep.equal({ chart: 3, title: 'Revenue per month', label: '2015-07', series: 'revenue', value: detail.row.revenue, row: { month: '2015-07', revenue: detail.row.revenue } });
    expect(detail.value).to.match(/^\d+(\.\d+)?$/, 'the raw amount, not "$61,768"');
  });

  it('a table row: its first cell and the row, raw; a number: its column and value', async () => {
    const { figure } = await shownPage(element);
    const table = figure('Latest orders');
    const tr = table.querySelector('tbody')!.rows[1]!;
    let click = clicked();
    tr.cells[3]!.click();
    const row = rowOf(tr);
    expect(await click).to.deep.equal({ chart: 5, title: 'Latest orders', label: row.order, series: null, value: null, row });
    expect(Object.keys(row)).to.deep.equal(['order', 'day', 'customer', 'product', 'status', 'amount']);
    expect(row.day).to.match(/^\d{4}-\d\d-\d\d$/, 'the raw date');

    const number = figure('Completed orders').querySelector<HTMLElement>('.value')!;
    click = clicked();
    number.click();
    const value = number.dataset.value!;
    expect(value).to.match(/^\d+$/);
    expect(await click).to.deep.equal({ chart: 0, title: 'Completed orders', label: null, series: 'orders', value, row: { orders: value } });
  });

  it('by keyboard: Enter on a number, the arrows and Enter on a table\'s rows and a chart\'s points', async () => {
    const { figure } = await shownPage(element);
    const number = figure('Ordering users').querySelector<HTMLElement>('.value')!;
    let click = clicked();
    number.focus();
    press(number, 'Enter');
    expect(await click).to.include({ chart: 2, series: 'users', value: number.dataset.value });

    const rows = figure('Latest orders').querySelector('tbody')!.rows;
    expect(rows[0]!.tabIndex).to.equal(0);
    rows[0]!.focus();
    press(rows[0]!, 'ArrowDown');
    press(rows[1]!, 'ArrowDown');
    expect(rows[2]!.ownerDocument.activeElement).to.equal(rows[2]);
    expect([rows[0]!.tabIndex, rows[2]!.tabIndex], 'the row with the focus is the tab stop').to.deep.equal([-1, 0]);
    click = clicked();
    press(rows[2]!, ' ');
    expect(await click).to.deep.include({ chart: 5, label: rowOf(rows[2]!).order, row: rowOf(rows[2]!) });

    const drawn = figure('Orders by product').querySelector<HTMLElement>('.chart-svg')!;
    drawn.focus();
    press(drawn, 'ArrowRight');
    press(drawn, 'ArrowRight');
    press(drawn, 'ArrowDown');
    click = clicked();
    press(drawn, 'Enter');
    const row = rowOf(figure('Orders by product').querySelector('tbody')!.rows[1]!);
    expect(await click).to.deep.equal({ chart: 4, title: 'Orders by product', label: row.product, series: 'refunded or cancelled', value: row['refunded or cancelled'], row });
  });

  it('only from the page on show: a click posted by another window is not one', async () => {
    const events = record(element, 'chartio-click');
    const forged = { type: CLICK_MESSAGE_TYPE, version: FRAME_PROTOCOL_VERSION, chart: 0, title: 'Completed orders', label: null, series: 'orders', value: '1', row: { orders: '1' } };
    const arrived = message((data) => data?.type === CLICK_MESSAGE_TYPE);
    postMessage(forged, '*');
    await arrived;
    await settle();
    expect(events).to.deep.equal([]);
  });

  it('fullscreen() asks the browser, which refuses without a user\'s gesture', async () => {
    let refused: unknown;
    await element.fullscreen().catch((error: unknown) => (refused = error));
    expect(refused, 'no click or key press led to it').to.be.instanceOf(TypeError);
    expect(document.fullscreenElement).to.equal(null);
  });
});
