/**
 * Sorting a table chart by a column: its header is a button (the host's markup), so a click, or
 * Enter or Space on it, sorts the rows by that column, ascending first, then descending; the
 * header's `aria-sort` says which way, and the others lose theirs. Numbers (a right-aligned
 * column) sort by their raw value (`data-value`), other cells by their raw value or text in the
 * page's locale; empty cells go last either way. The totals row (`<tfoot>`) stays where it is.
 * @module
 */

type Direction = 'ascending' | 'descending';

/**
 * Sorts the table of `button`'s header by its column, the other way round if it already is.
 *
 * @example
 * sortBy(document.querySelector('.chart-table th button.sort')!); // ascending by the first column
 */
export function sortBy(button: HTMLButtonElement): void {
  const th = button.closest('th')!;
  const table = th.closest('table')!;
  const body = table.tBodies[0];
  if (!body) return;
  const direction: Direction = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
  const column = th.cellIndex;
  const numeric = th.classList.contains('num');
  const collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
  const keyOf = (row: HTMLTableRowElement): string | number | null => {
    const cell = row.cells[column];
    if (!cell || cell.hasAttribute('data-null')) return null;
    const raw = cell.dataset.value ?? cell.textContent ?? '';
    return numeric ? Number(raw) : raw;
  };
  const rows = [...body.rows].map((row, index) => ({ row, key: keyOf(row), index }));
  const sign = direction === 'ascending' ? 1 : -1;
  rows.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
    const order = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : collator.compare(String(a.key), String(b.key));
    return order === 0 ? a.index - b.index : sign * order;
  });
  body.append(...rows.map(({ row }) => row));
  for (const header of th.parentElement!.children) header.removeAttribute('aria-sort');
  th.setAttribute('aria-sort', direction);
}

/**
 * Sorts on a click on a header's button (Enter and Space on a button are clicks), on the whole
 * page, so tables swapped in place need no wiring.
 *
 * @example
 * listenToSorting();
 */
export function listenToSorting(): void {
  addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('.chart th > button.sort') : null;
    if (button) sortBy(button);
  });
}
