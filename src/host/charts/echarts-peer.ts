/**
 * Apache ECharts, the host's chart renderer, as an optional peer dependency: loaded only when a
 * dashboard has a chart drawn with it, once, at the host's start (so a missing package stops the
 * start with a message that says what to install, not a viewer's page later).
 * @module
 */
import { createRequire } from 'node:module';
import { MissingPeerError } from '../sources/optional-peer.js';

/** The part of ECharts' API the renderer uses. */
export interface EchartsApi {
  init(dom: null, theme: null, options: { renderer: 'svg'; ssr: true; width: number; height: number }): EchartsInstance;
}

/** One server-side chart instance (dispose it, or it keeps the process alive). */
export interface EchartsInstance {
  setOption(option: object, notMerge?: boolean): void;
  renderToSVGString(): string;
  resize(size: { width: number; height: number }): void;
  convertToPixel(finder: { seriesIndex: number }, value: unknown[]): unknown;
  dispose(): void;
  getModel(): { getSeriesByIndex(index: number): { getData(): { count(): number; getItemLayout(index: number): unknown; getLayout(key: string): unknown; getValues(index: number): unknown[]; getRawIndex(index: number): number } } | undefined };
}

/** Thrown (as a {@link MissingPeerError}) when a dashboard needs ECharts and it is not installed. */
export const ECHARTS_MISSING = 'Dashboards with line, area, bar, combo, pie, donut, scatter, funnel or heatmap charts need the echarts package (the host draws them as SVG), which is not installed: npm install echarts';

let loaded: EchartsApi | undefined;

/**
 * ECharts, loaded on first use (synchronously: its CommonJS build, so a page's rendering needs no
 * `await`). `resolveFrom` is where Node looks the package up from.
 *
 * @example
 * const echarts = loadEcharts();
 * const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 480, height: 260 });
 */
export function loadEcharts(resolveFrom: string = import.meta.url): EchartsApi {
  if (loaded) return loaded;
  let module: EchartsApi;
  try {
    module = createRequire(resolveFrom)('echarts') as EchartsApi;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND') throw new MissingPeerError(ECHARTS_MISSING, { cause: error });
    throw error;
  }
  if (resolveFrom === import.meta.url) loaded = module;
  return module;
}
