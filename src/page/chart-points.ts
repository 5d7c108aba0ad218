/**
 * The points of a chart the host drew as SVG (src/host/charts): which point the pointer is on,
 * and its tooltip. The host puts each point's series, data index, data-table row and position in
 * the drawing on the drawing (`data-points="s d r x y;…"`); a shape ECharts drew for one item
 * carries `ecmeta_series_index` and `ecmeta_data_index`. The pointer on such a shape is on its
 * point; elsewhere on a chart with axes it is on the nearest point (as Chart.js's `nearest` mode
 * was). No chart library runs on the page: this is all its hover and click need.
 * @module
 */
import { tableRowOf } from './chart-rows.js';

/** A point of a drawing: series, data index, data-table row, position in drawing units. */
export interface Point {
  readonly s: number;
  readonly d: number;
  readonly r: number;
  readonly x: number;
  readonly y: number;
}

/** Charts whose points are found by nearness too (the others by their shape alone). */
const NEAREST = /\bchart-(line|area|bar|combo|scatter)\b/;

/**
 * The drawing on show in a chart's box (the one its width's container query shows).
 *
 * @example
 * shownDrawing(box)?.dataset.points; // '0 0 0 29.4 114.0;…'
 */
export function shownDrawing(box: HTMLElement): HTMLElement | undefined {
  return [...box.children].find((child): child is HTMLElement => child instanceof HTMLElement && child.dataset.points !== undefined && child.getClientRects().length > 0);
}

/**
 * Every point of the drawing on show, in series then data order.
 *
 * @example
 * pointsOf(box)[0]; // { s: 0, d: 0, r: 0, x: 29.4, y: 114 }
 */
export function pointsOf(box: HTMLElement): Point[] {
  const text = shownDrawing(box)?.dataset.points ?? '';
  return text
    ? text.split(';').map((item) => {
        const [s, d, r, x, y] = item.split(' ').map(Number) as [number, number, number, number, number];
        return { s, d, r, x, y };
      })
    : [];
}

/**
 * The point under the pointer of `event` in `box`, if any.
 *
 * @example
 * pointAt(box, event)?.r; // the data-table row of the bar under the pointer
 */
export function pointAt(box: HTMLElement, event: MouseEvent): Point | undefined {
  const points = pointsOf(box);
  const shape = (event.target as Element).closest?.('[ecmeta_data_index]');
  if (shape && shape.getAttribute('ecmeta_ssr_type') !== 'legend') {
    const s = Number(shape.getAttribute('ecmeta_series_index'));
    const d = Number(shape.getAttribute('ecmeta_data_index'));
    const hit = points.find((point) => point.s === s && point.d === d);
    if (hit) return hit;
  }
  const svg = shownDrawing(box)?.querySelector('svg');
  const matrix = svg?.getScreenCTM();
  if (!matrix || !NEAREST.test(box.closest('figure')?.className ?? '')) return undefined;
  const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
  let best: Point | undefined;
  let distance = Infinity;
  for (const point of points) {
    const next = Math.hypot(point.x - at.x, point.y - at.y);
    if (next < distance) [best, distance] = [point, next];
  }
  return best;
}

/**
 * Shows the tooltip of `point` in `box`: the row's label, then each value as the data table
 * shows it (formatted, in the page's locale), the point's own series first.
 *
 * @example
 * showTip(box, pointsOf(box)[0]);
 */
export function showTip(box: HTMLElement, point: Point): void {
  const row = tableRowOf(box, point);
  const svg = shownDrawing(box)?.querySelector('svg');
  if (!row || !svg) return hideTip(box);
  let tip = box.querySelector<HTMLElement>('.chart-tip');
  if (!tip) tip = box.appendChild(Object.assign(document.createElement('div'), { className: 'chart-tip' }));
  tip.replaceChildren(Object.assign(document.createElement('strong'), { textContent: row.label }));
  const entries = Object.entries(row.shown).sort(([name]) => (name === row.series ? -1 : 0));
  for (const [name, text] of entries) tip.append(document.createElement('br'), `${name}: ${text}`);
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  tip.style.left = `${Math.min(Math.max(point.x * scale, 0), box.clientWidth)}px`;
  tip.style.top = `${point.y * scale}px`;
}

/**
 * Takes the tooltip off `box`.
 *
 * @example
 * hideTip(box);
 */
export function hideTip(box: HTMLElement): void {
  box.querySelector('.chart-tip')?.remove();
}
