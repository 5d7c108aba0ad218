/**
 * Where a chart sits in the dashboard's grid: its `width` (twelfths of the row) and `height` as
 * classes the page's constant stylesheet defines (page-assets.ts), since the CSP allows no style
 * attribute. Rows flow in file order; a frame narrower than about 640 px shows one column (CSS
 * only, so it holds with JavaScript off).
 * @module
 */
import { MAX_HEIGHT, MIN_HEIGHT, HEIGHT_STEP } from '../definition/chart-types/chart-fields.js';
import { chartKind } from '../definition/chart-types/index.js';
import type { ChartDefinition } from '../types.js';

/** Below this frame width (CSS px) every chart takes the whole row. */
export const ONE_COLUMN_BELOW_PX = 640;

/** Below this frame width (CSS px), a chart narrower than half the row takes half. */
export const HALF_ROW_BELOW_PX = 960;

/** The widest frame (CSS px) the layout is made for; a wider one scales its widest drawings up. */
export const WIDEST_FRAME_PX = 1600;
/** The page's padding (CSS px) on each side. */
export const PAGE_PADDING_PX = 16;
/** The gap (CSS px) between charts, across and down. */
export const CHART_GAP_PX = 12;
/** A chart's padding plus its border (CSS px) on each side: its box's content is this much narrower. */
export const CHART_INSET_PX = 13;

/**
 * The widest a chart's content box gets in a frame up to {@link WIDEST_FRAME_PX}: its span of
 * the 12 columns in the widest frame, or the whole row in a frame just under
 * {@link ONE_COLUMN_BELOW_PX}, whichever is wider. A drawing wider than this is never shown, so
 * it is not drawn.
 *
 * @example
 * widestChartBoxPx({ ...chart, type: 'bar', width: 6 }); // 752
 * widestChartBoxPx({ ...chart, type: 'line' }); // 1542
 */
export function widestChartBoxPx(chart: ChartDefinition): number {
  const span = chart.width ?? chartKind(chart.type).defaultWidth;
  const column = (WIDEST_FRAME_PX - 2 * PAGE_PADDING_PX - 11 * CHART_GAP_PX) / 12;
  const inGrid = span * column + (span - 1) * CHART_GAP_PX - 2 * CHART_INSET_PX;
  const alone = ONE_COLUMN_BELOW_PX - 2 * PAGE_PADDING_PX - 2 * CHART_INSET_PX;
  return Math.floor(Math.max(inGrid, alone));
}

/**
 * ` w-N` for a width other than its type's default (the type's class, `chart-number`, gives
 * that), and ` h-N` for a height it sets; `''` for a chart laid out by default.
 *
 * @example
 * layoutClasses({ ...chart, type: 'number', width: 3 }); // ''
 * layoutClasses({ ...chart, type: 'line', width: 6, height: 320 }); // ' w-6 h-320'
 */
export function layoutClasses(chart: ChartDefinition): string {
  const width = chart.width === undefined || chart.width === chartKind(chart.type).defaultWidth ? '' : ` w-${chart.width}`;
  return `${width}${chart.height === undefined ? '' : ` h-${chart.height}`}`;
}

/**
 * The layout's CSS: a 12-column grid, each width class spanning its columns, each height class
 * setting `--chart-height` (the drawing's height: a canvas's, a table's scroll box's); charts
 * narrower than half a row take half below {@link HALF_ROW_BELOW_PX} (a number stays legible),
 * and every chart the whole row below {@link ONE_COLUMN_BELOW_PX}.
 *
 * @example
 * layoutStyle(); // '.charts{display:grid;…}.w-1{grid-column:span 1}…'
 */
export function layoutStyle(): string {
  const widths = Array.from({ length: 12 }, (_, index) => `.chart.w-${index + 1}{grid-column:span ${index + 1}}`).join('');
  const narrow = ['.charts>.chart-number:not([class*=" w-"])', ...[1, 2, 3, 4, 5].map((width) => `.charts>.w-${width}`)].join(',');
  const heights: string[] = [];
  for (let height = MIN_HEIGHT; height <= MAX_HEIGHT; height += HEIGHT_STEP) heights.push(`.h-${height}{--chart-height:${height}px}`);
  return (
    `.charts{display:grid;gap:${CHART_GAP_PX}px;grid-template-columns:repeat(12,minmax(0,1fr))}` +
    // Each type's default width, then the widths a file sets.
    `.chart{grid-column:span 12}.chart-number{grid-column:span ${chartKind('number').defaultWidth}}` +
    widths +
    heights.join('') +
    `@media (max-width:${HALF_ROW_BELOW_PX - 0.02}px){${narrow}{grid-column:span 6}}` +
    // `[class]` lifts this rule over the half-row one above (whose :not() counts as an attribute).
    `@media (max-width:${ONE_COLUMN_BELOW_PX - 0.02}px){.charts>.chart[class]{grid-column:1/-1}}`
  );
}
