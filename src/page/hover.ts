/**
 * Hover on a drawn chart: the tooltip of the point under the pointer (chart-points.ts), gone
 * when the pointer leaves the chart. Listens on the whole page, so charts swapped in place need
 * no wiring.
 * @module
 */
import { hideTip, pointAt, showTip } from './chart-points.js';

/**
 * Starts showing tooltips.
 *
 * @example
 * listenToHover();
 */
export function listenToHover(): void {
  addEventListener('pointermove', (event) => {
    const box = event.target instanceof Element ? event.target.closest<HTMLElement>('.chart-svg') : null;
    if (!box || (event.target as Element).closest('.chart-tip')) return;
    const point = pointAt(box, event);
    if (point) showTip(box, point);
    else hideTip(box);
  });
  addEventListener('pointerout', (event) => {
    const box = event.target instanceof Element ? event.target.closest<HTMLElement>('.chart-svg') : null;
    const into = event.relatedTarget instanceof Node ? event.relatedTarget : null;
    if (box && !(into && box.contains(into))) hideTip(box);
  });
}
