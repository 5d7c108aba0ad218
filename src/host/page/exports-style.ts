/**
 * The part of the page's stylesheet for exports (src/page/export-image.ts, src/page/print.ts):
 * the "Download image" buttons, shown only on a chart drawn as SVG, and the print stylesheet.
 * Kept apart from the page's layout (page-assets.ts) so each changes on its own; part of the same
 * inline `<style>`, allowed by its hash.
 * @module
 */
import { UPDATING_ID } from '../../protocol/page-markup.js';
import { LIGHT } from './page-theme.js';

/**
 * The image buttons look like the CSV one; their group shows only where the chart has an SVG to
 * export. In print: each chart kept whole on one page, the light theme's colours whatever the
 * theme on screen (ink on paper, and a PDF that reads like a document), and nothing to click.
 */
export const EXPORTS_STYLE =
  '.image-download{display:inline-flex;gap:4px;align-items:center}' +
  '.chart:not(:has(.chart-svg svg)) .image-download{display:none}' +
  '.download-image{font:inherit;color:var(--fg);background:none;border:1px solid var(--line);border-radius:4px;padding:2px 8px;cursor:pointer}' +
  '.download-image:hover{background:var(--hover)}' +
  '@media print{' +
  `:root[data-theme]{${LIGHT}}` +
  'body{padding:0}' +
  '.chart{break-inside:avoid;page-break-inside:avoid}' +
  `.chart-actions,.chart-data,button,#${UPDATING_ID}{display:none}` +
  ':focus-visible{outline:none}' +
  '}';
