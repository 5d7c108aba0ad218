/**
 * The dashboards a host serves, each prepared once at its start: its definition checked, its page
 * head rendered (with and without the Loading line), its data source, that source's queue and its
 * max age. And the way back from the shared cache: a stored page revived with this host's head.
 * @module
 */
import { loadEcharts } from '../charts/echarts-peer.js';
import { assertEveryChartFiltered } from '../definition/dashboard-definition.js';
import { maxAgeMs as maxAgeMsOf } from '../definition/max-age.js';
import { LOADING_HTML, needsEcharts, renderPageHead } from '../page/render-page.js';
import type { RunQueue } from '../sources/run-queue.js';
import { RenderedPage, type StoredPage } from '../store/rendered-page.js';
import type { DashboardDefinition, DataSource, MaxAge } from '../types.js';

/** A dashboard as the host serves it: its definition and its page head, rendered once. */
export interface ServedDashboard {
  readonly definition: DashboardDefinition;
  /** The page up to `<body>`, for every page of this dashboard. */
  readonly head: Uint8Array<ArrayBuffer>;
  /** The head and the Loading line: the first chunk a pending page sends. */
  readonly headWithLoading: Uint8Array<ArrayBuffer>;
  /** Where its queries run. */
  readonly database: DataSource;
  /** That data source's run queue (shared by every dashboard on it). */
  readonly queue: RunQueue;
  /** Milliseconds a page's data is served before its queries run again; undefined: until the token expires (`"exp"`). */
  readonly maxAgeMs: number | undefined;
}

/** What {@link serveDashboards} reads of the host's checked settings. */
export interface ServedDashboardsOptions {
  readonly dashboards: readonly DashboardDefinition[];
  /** The host-wide max age (a dashboard's own overrides it). */
  readonly maxAge: MaxAge;
  /** Where the pages post their messages. */
  readonly parentOrigins: readonly string[];
  /** Each dashboard's data source, by dashboard id. */
  readonly sourceOf: ReadonlyMap<number, DataSource>;
  /** Each data source's run queue, by the source. */
  readonly queues: ReadonlyMap<DataSource, RunQueue>;
}

const encoder = new TextEncoder();

/**
 * Prepares every dashboard, by id. Throws when a definition made or changed in code leaves a
 * chart unfiltered, or when a drawn chart needs `echarts` and it is not installed (the message
 * says what to install).
 *
 * @example
 * const dashboards = serveDashboards(settings);
 * const outcome = await runs.serve(token, dashboards.get(38727)!);
 */
export function serveDashboards(options: ServedDashboardsOptions): Map<number, ServedDashboard> {
  // Drawn charts are rendered on the host: a missing echarts stops the start, saying what to install.
  if (options.dashboards.some(needsEcharts)) loadEcharts();
  const dashboards = new Map<number, ServedDashboard>();
  for (const definition of options.dashboards) {
    // Files were checked when parsed; a definition made or changed in code is checked here, downloads included.
    assertEveryChartFiltered(definition);
    const maxAgeMs = maxAgeMsOf(definition.maxAge ?? options.maxAge);
    const head = renderPageHead(definition, { parentOrigins: options.parentOrigins, ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs / 1000 }) });
    const database = options.sourceOf.get(definition.id)!;
    const queue = options.queues.get(database)!;
    dashboards.set(definition.id, { definition, head: encoder.encode(head), headWithLoading: encoder.encode(head + LOADING_HTML), database, queue, maxAgeMs });
  }
  return dashboards;
}

/**
 * A page from the shared cache, with this host's head for its dashboard (undefined: not served
 * here, or not a page).
 *
 * @example
 * createRedisPageStore(sharedCache, { ...bounds, log, revive: (stored) => revivePage(dashboards, stored) });
 */
export function revivePage(dashboards: ReadonlyMap<number, ServedDashboard>, stored: StoredPage): RenderedPage | undefined {
  const served = dashboards.get(stored?.claims?.dashboard);
  if (!served || typeof stored.main !== 'string' || typeof stored.charts !== 'string' || typeof stored.expiresAt !== 'number') return undefined;
  return RenderedPage.create(served.head, stored);
}
