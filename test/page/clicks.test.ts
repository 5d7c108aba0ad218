/**
 * What the viewer clicks or activates with the keyboard, reported by the page runtime as
 * `chartio:click` with raw values, on the host's real page: a number, a table row, a point of a
 * chart the host drew (a click on it, and the keyboard), and the table's rows
 * taking turns as the tab stop.
 */
import { expect } from '@open-wc/testing';
import { drawingOf, OVERVIEW, pointOf, openPage, PAGE_TIMEOUT_MS, tokenFor, type FramedPage, type Suite } from './support/framed-page.js';

const YEAR = { DATE_RANGE: ['2014-01-01', '2014-12-31'] };

/** The next click the page reports after the action. */
async function clickAfter(page: FramedPage, action: () => void): Promise<Record<string, unknown>> {
  const count = page.posted.length;
  action();
  const { type, version, ...detail } = await page.next((message) => message.type === 'chartio:click', count);
  expect([type, version]).to.deep.equal(['chartio:click', 1]);
  return detail;
}

const key = (page: FramedPage, target: Element, name: string) =>
  target.dispatchEvent(new page.win.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));

describe('page runtime: clicks and the keyboard', function (this: Suite) {
  this.timeout(PAGE_TIMEOUT_MS);
  let page: FramedPage;
  beforeEach(async () => {
    page = await openPage(OVERVIEW, await tokenFor(OVERVIEW, YEAR));
  });
  afterEach(() => page.close());

  it('a number: its column and raw value, by click and by Enter', async () => {
    const number = page.doc.querySelector<HTMLElement>('#chart-0 .value')!;
    const expected = { chart: 0, title: 'Completed orders', label: null, series: number.dataset.column, value: number.dataset.value, row: { [number.dataset.column!]: number.dataset.value } };
    expect(await clickAfter(page, () => number.click())).to.deep.equal(expected);
    expect(await clickAfter(page, () => key(page, number, 'Enter'))).to.deep.equal(expected);
  });

  it('a table row: its first cell and the whole row; the arrows move the tab stop along the rows', async () => {
    const rows = [...page.doc.querySelectorAll<HTMLTableRowElement>('#chart-5 tbody tr')];
    const names = [...page.doc.querySelectorAll('#chart-5 thead th')].map((th) => th.textContent!);
    const raw = (cell: HTMLTableCellElement) => (cell.hasAttribute('data-null') ? null : (cell.dataset.value ?? cell.textContent));
    const detail = await clickAfter(page, () => rows[1]!.click());
    expect(detail).to.deep.equal({
      chart: 5,
      title: 'Latest orders',
      label: raw(rows[1]!.cells[0]!),
      series: null,
      value: null,
      row: Object.fromEntries([...rows[1]!.cells].map((cell, index) => [names[index], raw(cell)])),
    });
    rows[0]!.focus();
    key(page, rows[0]!, 'ArrowDown');
    expect(page.doc.activeElement).to.equal(rows[1]);
    expect([rows[0]!.tabIndex, rows[1]!.tabIndex]).to.deep.equal([-1, 0]);
    key(page, rows[1]!, 'End');
    expect(page.doc.activeElement).to.equal(rows[rows.length - 1]);
  });

  it('a point of the line chart: by the keyboard (read out in the live region) and by a click on its drawing', async () => {
    const box = page.doc.querySelector<HTMLElement>('#chart-3 .chart-svg')!;
    const firstRow = page.doc.querySelector<HTMLTableRowElement>('#chart-3 .chart-data tbody tr')!;
    const label = firstRow.cells[0]!.dataset.value ?? firstRow.cells[0]!.textContent;
    const series = (JSON.parse(box.dataset.series!) as string[])[0]!;
    box.focus();
    key(page, box, 'ArrowRight');
    expect(page.doc.getElementById('chartio-point')!.textContent).to.equal(`${firstRow.cells[0]!.textContent}, ${series}: ${firstRow.cells[1]!.textContent}`);
    const byKey = await clickAfter(page, () => key(page, box, 'Enter'));
    expect(byKey).to.include({ chart: 3, title: 'Revenue per month', label, series });
    expect(byKey.value).to.equal((byKey.row as Record<string, string>)[series]);

    // A click beside the point (not on its marker) finds the nearest point, as a hover does.
    const drawing = drawingOf(page, '#chart-3');
    const at = pointOf(drawing, 0);
    const near = { clientX: at.clientX + 4, clientY: at.clientY + 4, bubbles: true };
    const byClick = await clickAfter(page, () => {
      const target = drawing.querySelector('svg')!;
      target.dispatchEvent(new page.win.PointerEvent('pointermove', near));
      expect(box.querySelector('.chart-tip')!.textContent).to.contain(firstRow.cells[1]!.textContent!);
      target.dispatchEvent(new page.win.MouseEvent('click', near));
    });
    expect(byClick).to.deep.equal(byKey);
  });

  it('a bar: a click on its shape reports its row and series', async () => {
    const drawing = drawingOf(page, '#chart-4');
    const bar = drawing.querySelector('[ecmeta_series_index="0"][ecmeta_data_index="1"]')!;
    const tr = page.doc.querySelectorAll<HTMLTableRowElement>('#chart-4 .chart-data tbody tr')[1]!;
    const series = page.doc.querySelectorAll('#chart-4 thead th')[1]!.textContent!;
    const detail = await clickAfter(page, () => bar.dispatchEvent(new page.win.MouseEvent('click', { bubbles: true })));
    expect(detail).to.include({ chart: 4, label: tr.cells[0]!.dataset.value ?? tr.cells[0]!.textContent, series, value: tr.cells[1]!.dataset.value });
  });
});
