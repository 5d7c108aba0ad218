/**
 * A drawn chart's point as its row of the chart's data table, the text alternative the host
 * renders beside every drawing: what a tooltip shows and a click reports.
 * @module
 */

/** A point's row: its label, series, raw values and shown (formatted) texts by column. */
export interface PointRow {
  readonly tr: HTMLTableRowElement;
  readonly label: string;
  /** The column of the point's series (`data-series` of the drawing). */
  readonly series: string | undefined;
  /** Every column but the first, as the table shows it. */
  readonly shown: Record<string, string>;
}

/**
 * The data-table row of `point` (its series `s` and row `r`, as chart-points.ts reads them) in a chart's drawing `box`.
 *
 * @example
 * tableRowOf(box, { s: 0, d: 2, r: 2, x: 10, y: 20 })?.label; // 'Mar 2024'
 */
export function tableRowOf(box: HTMLElement, point: { readonly s: number; readonly r: number }): PointRow | undefined {
  const tr = box.closest('figure')?.querySelector<HTMLTableSectionElement>('.chart-data tbody')?.rows[point.r];
  if (!tr) return undefined;
  const names = [...tr.closest('table')!.tHead!.rows[0]!.cells].map((th) => th.textContent ?? '');
  const shown = Object.fromEntries([...tr.cells].slice(1).map((cell, index) => [names[index + 1]!, cell.textContent ?? '']));
  let series: string | undefined;
  try {
    series = (JSON.parse(box.dataset.series ?? '[]') as string[])[point.s];
  } catch {
    // A drawing without its series' names: the click reports none.
  }
  return { tr, label: tr.cells[0]?.textContent ?? '', series, shown };
}
