/**
 * The keyboard: each chart is one tab stop (the server renders the `tabindex`es, so the page and
 * the data route's `main` stay the same markup).
 * - a number: Enter or Space reports it;
 * - a table: its rows take turns as the tab stop (Arrow Up and Down, Home, End move), Enter or
 *   Space reports the row;
 * - a line or bar chart's canvas: Arrow Left and Right (Home, End) move along the labels, Arrow
 *   Up and Down between series, with Chart.js's tooltip on the point and its text in a live
 *   region; Enter or Space reports it.
 * @module
 */
import { POINT_STATUS_ID } from '../protocol/page-markup.js';
import { chartOn, type DrawnChart } from './chart-library.js';
import { specs } from './chart-specs.js';
import { numberClick, pointClick, rowClick } from './clicks.js';
import { byId } from './dom.js';
import { shown } from './locale.js';

/** A point of a chart: [label index, series index]. */
type Point = [number, number];

// The point the keyboard is on, by canvas.
const points = new WeakMap<HTMLCanvasElement, Point>();

function pointStatus(): HTMLElement {
  let status = byId(POINT_STATUS_ID);
  if (!status) {
    status = document.body.appendChild(Object.assign(document.createElement('p'), { id: POINT_STATUS_ID, className: 'visually-hidden' }));
    status.setAttribute('role', 'status');
  }
  return status;
}

function showPoint(chart: DrawnChart, at?: Point): void {
  const active = at ? [{ datasetIndex: at[1], index: at[0] }] : [];
  const element = at && chart.getDatasetMeta(at[1]).data[at[0]];
  chart.setActiveElements(active);
  chart.tooltip?.setActiveElements(active, { x: element?.x ?? 0, y: element?.y ?? 0 });
  chart.update('none');
}

const activates = (event: KeyboardEvent): boolean => event.key === 'Enter' || event.key === ' ';

function pointKey(canvas: HTMLCanvasElement, event: KeyboardEvent): void {
  const chart = chartOn(canvas);
  const spec = specs.get(canvas.id);
  if (!chart || !spec) return;
  const last = spec.labels.length - 1;
  const count = spec.series.length;
  const [index, dataset] = points.get(canvas) ?? [-1, 0];
  if (activates(event)) {
    event.preventDefault();
    if (index >= 0) pointClick(chart, index, dataset);
    return;
  }
  const moves: Record<string, Point> = {
    ArrowRight: [Math.min(last, index + 1), dataset],
    ArrowLeft: [Math.max(0, index - 1), dataset],
    Home: [0, dataset],
    End: [last, dataset],
    ArrowDown: [Math.max(0, index), (dataset + 1) % count],
    ArrowUp: [Math.max(0, index), (dataset + count - 1) % count],
  };
  const at = moves[event.key];
  if (!at || last < 0) return;
  event.preventDefault();
  points.set(canvas, at);
  showPoint(chart, at);
  const series = spec.series[at[1]]!;
  pointStatus().textContent = `${chart.data.labels![at[0]] as string}, ${series.label}: ${shown(series.format, series.data[at[0]])}`;
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
    } else if (target.matches('.chart canvas')) {
      pointKey(target as HTMLCanvasElement, event);
    }
  });
  addEventListener('focusout', (event) => {
    const canvas = event.target;
    const chart = canvas instanceof HTMLCanvasElement ? chartOn(canvas) : undefined;
    if (chart) {
      points.delete(canvas as HTMLCanvasElement);
      showPoint(chart);
    }
  });
}
