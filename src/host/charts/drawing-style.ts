/**
 * The page's style of drawn charts: the drawing of the largest width its box holds is shown
 * (a container query: no script, so it works with JavaScript off), scaled to the box's width;
 * the tooltip the page runtime shows on hover or keyboard.
 * @module
 */
import { WIDTHS } from './widths.js';

const show = (bucket: number) => `.chart-svg>.w${bucket}[data-points]{display:block}`;

/**
 * CSS for drawn charts, part of the page's stylesheet (allowed by its hash).
 *
 * @example
 * DRAWING_STYLE; // '.chart-svg{container-type:inline-size;…}@container (min-width:480px){…}'
 */
export const DRAWING_STYLE =
  '.chart-svg{container-type:inline-size;position:relative}' +
  '.chart-svg>[data-points]{display:none}.chart-svg svg{display:block;width:100%;height:auto;overflow:visible}' +
  show(0) +
  WIDTHS.slice(1)
    // A chart's widest drawing (`data-widest`: wider ones it never needs are not drawn) stays shown.
    .map((width, index) => `@container (min-width:${width}px){.chart-svg>.w${index}[data-points]:not([data-widest]){display:none}${show(index + 1)}}`)
    .join('') +
  '.chart-tip{position:absolute;z-index:1;pointer-events:none;transform:translate(-50%,calc(-100% - 10px));' +
  'background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px;padding:4px 8px;font-size:12px;line-height:1.4;white-space:nowrap;box-shadow:0 1px 4px rgb(0 0 0/.15)}';
