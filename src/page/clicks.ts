/**
 * What the viewer clicked, reported to the parent as `chartio:click` with `{ chart, title, label,
 * series, value, row }` (see `ClickDetail` in src/protocol/frame-messages.ts for each field by
 * chart type): a drawn chart's point (bar, slice, cell…), a table row (a chart's table, or a
 * drawn chart's data table) or a number. Values are raw text, as the server rendered them in
 * `data-value`.
 * @module
 */
import { CLICK_MESSAGE_TYPE, type ClickDetail } from '../protocol/frame-messages.js';
import { pointAt, type Point } from './chart-points.js';
import { tableRowOf } from './chart-rows.js';
import { post } from './parent.js';

/** A cell's raw value: what data-value carries, or the text shown as is; null for an empty (NULL) cell. */
const valueOf = (cell: HTMLElement): string | null => (cell.hasAttribute('data-null') ? null : (cell.dataset.value ?? cell.textContent));

function rowOf(tr: HTMLTableRowElement): Record<string, string | null> {
  const names = [...tr.closest('table')!.tHead!.rows[0]!.cells].map((th) => th.textContent);
  return Object.fromEntries([...tr.cells].map((cell, index) => [names[index], valueOf(cell)]));
}

function clicked(element: Element, detail: Omit<ClickDetail, 'chart' | 'title'>): void {
  const figure = element.closest<HTMLElement>('figure.chart')!;
  // The figure's id is `chart-{index}`.
  const chart = Number(figure.id.slice('chart-'.length));
  post({ type: CLICK_MESSAGE_TYPE, chart, title: figure.querySelector('h2')!.textContent, ...detail });
}

/**
 * Reports a table row: its first cell as the label, the whole row.
 *
 * @example
 * rowClick(document.querySelector('.chart tbody tr')!);
 */
export const rowClick = (tr: HTMLTableRowElement): void => clicked(tr, { label: valueOf(tr.cells[0]!), series: null, value: null, row: rowOf(tr) });

/**
 * Reports a number: its column as the series, its raw value.
 *
 * @example
 * numberClick(document.querySelector('.chart-number .value')!);
 */
export function numberClick(element: HTMLElement): void {
  const column = element.dataset.column!;
  const value = valueOf(element);
  clicked(element, { label: null, series: column, value, row: { [column]: value } });
}

/**
 * Reports `point` of a drawn chart (`box`, its `.chart-svg`): its row is the same row of the
 * chart's data table, its series the drawing's series of that index.
 *
 * @example
 * pointClick(box, pointsOf(box)[2]); // the third point of the first series
 */
export function pointClick(box: HTMLElement, point: Pick<Point, 's' | 'r'>): void {
  const found = tableRowOf(box, point);
  if (!found || found.series === undefined) return;
  const row = rowOf(found.tr);
  clicked(box, { label: valueOf(found.tr.cells[0]!), series: found.series, value: row[found.series] ?? null, row });
}

/**
 * Listens for clicks on numbers, table rows and a drawn chart's points, and on a chart's
 * download button, which `download` handles.
 *
 * @example
 * listenToClicks(save);
 */
export function listenToClicks(download: (button: HTMLButtonElement) => void): void {
  addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>('button.download');
    const number = target.closest<HTMLElement>('.chart-number .value');
    const row = target.closest<HTMLTableRowElement>('.chart tbody tr');
    const box = target.closest<HTMLElement>('.chart-svg');
    const point = box && pointAt(box, event);
    if (button) download(button);
    else if (number) numberClick(number);
    else if (row) rowClick(row);
    else if (box && point) pointClick(box, point);
  });
}
