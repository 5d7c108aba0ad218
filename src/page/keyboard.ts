/**
 * The keyboard: each chart is one tab stop (the server renders the `tabindex`es, so the page and
 * the data route's `main` stay the same markup).
 * - a number: Enter or Space reports it;
 * - a table: its rows take turns as the tab stop (Arrow Up and Down, Home, End move), Enter or
 *   Space reports the row;
 * - a drawn chart (line, bar, pie, …): Arrow Left and Right (Home, End) move along its points,
 *   Arrow Up and Down between series, with the point's tooltip and its text in a live region;
 *   Enter or Space reports it.
 * @module
 */
import { POINT_STATUS_ID } from '../protocol/page-markup.js';
import { hideTip, pointsOf, showTip, type Point } from './chart-points.js';
import { tableRowOf } from './chart-rows.js';
import { numberClick, pointClick, rowClick } from './clicks.js';
import { byId } from './dom.js';

// The point the keyboard is on, by drawn chart: [series, data index].
const points = new WeakMap<HTMLElement, [number, number]>();

function pointStatus(): HTMLElement {
  let status = byId(POINT_STATUS_ID);
  if (!status) {
    status = document.body.appendChild(Object.assign(document.createElement('p'), { id: POINT_STATUS_ID, className: 'visually-hidden' }));
    status.setAttribute('role', 'status');
  }
  return status;
}

const activates = (event: KeyboardEvent): boolean => event.key === 'Enter' || event.key === ' ';

function pointKey(box: HTMLElement, event: KeyboardEvent): void {
  const all = pointsOf(box);
  if (all.length === 0) return;
  const series = [...new Set(all.map((point) => point.s))];
  const [s, d] = points.get(box) ?? [series[0]!, -1];
  const own = all.filter((point) => point.s === s);
  const at = own.findIndex((point) => point.d === d);
  if (activates(event)) {
    event.preventDefault();
    const point = own[at];
    if (point) pointClick(box, point);
    return;
  }
  // Another series: the point of the same data index, or its first.
  const other = (step: number): Point | undefined => {
    const next = series[(series.indexOf(s) + step + series.length) % series.length]!;
    const list = all.filter((point) => point.s === next);
    return list.find((point) => point.d === d) ?? list[0];
  };
  const moves: Record<string, () => Point | undefined> = {
    ArrowRight: () => own[Math.min(own.length - 1, at + 1)],
    ArrowLeft: () => own[Math.max(0, at - 1)],
    Home: () => own[0],
    End: () => own.at(-1),
    ArrowDown: () => other(1),
    ArrowUp: () => other(-1),
  };
  const point = moves[event.key]?.();
  if (!point) return;
  event.preventDefault();
  points.set(box, [point.s, point.d]);
  showTip(box, point);
  const row = tableRowOf(box, point);
  if (row) pointStatus().textContent = `${row.label}, ${row.series}: ${row.series === undefined ? '' : row.shown[row.series]}`;
}

function rowKey(tr: HTMLTableRowElement, event: KeyboardEvent): void {
  const rows = [...(tr.parentNode as HTMLTableSectionElement).rows];
  const at = rows.indexOf(tr);
  const to = ({ ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 } as Record<string, number>)[event.key];
  const next = to === undefined ? undefined : rows[to];
  if (activates(event)) {
    event.preventDefault();
    rowClick(tr);
  } else if (next) {
    event.preventDefault();
    tr.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }
}

/**
 * Listens for the keys above on the whole page (so charts swapped in place need no wiring), and
 * takes the tooltip off a chart the focus leaves.
 *
 * @example
 * listenToKeyboard();
 */
export function listenToKeyboard(): void {
  addEventListener('keydown', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (target.matches('.chart-number .value') && activates(event)) {
      event.preventDefault();
      numberClick(target as HTMLElement);
    } else if (target.matches('.chart tbody tr')) {
      rowKey(target as HTMLTableRowElement, event);
    } else if (target.matches('.chart-svg')) {
      pointKey(target as HTMLElement, event);
    }
  });
  addEventListener('focusout', (event) => {
    const box = event.target;
    if (box instanceof HTMLElement && box.matches('.chart-svg')) {
      points.delete(box);
      hideTip(box);
    }
  });
}
