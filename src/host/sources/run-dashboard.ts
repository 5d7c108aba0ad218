/**
 * Runs one dashboard's queries for one token's `env`: every chart at once, each bound to its own
 * Hidden Variables, each failing on its own (a missing variable, a query error or a timeout shows
 * on that chart only; the rest of the dashboard still renders).
 * @module
 */
import type { Env } from '../../protocol/index.js';
import { bindChartVariables } from './bind-variables.js';
import { queryWithin } from './query-within.js';
import type { ChartDefinition, DashboardDefinition, DataSource, HostLogEntry, QueryResult } from '../types.js';

/** What became of one chart. `message` is for the viewer: never SQL or database internals. */
export type ChartOutcome =
  | { readonly chart: ChartDefinition; readonly status: 'ok'; readonly result: QueryResult }
  | { readonly chart: ChartDefinition; readonly status: 'unavailable'; readonly message: string }
  | { readonly chart: ChartDefinition; readonly status: 'failed'; readonly message: string };

/** The outcome of a whole run. */
export interface DashboardRun {
  readonly charts: readonly ChartOutcome[];
  /** How many SQL queries were sent to the database. */
  readonly queries: number;
  /** True when a query failed or timed out (a transient cause is possible: cache such a page briefly). */
  readonly failed: boolean;
}

/** Options of {@link runDashboard}. */
export interface RunOptions {
  /** Milliseconds each query may take before its chart shows a timeout message. */
  timeoutMs: number;
  log: (entry: HostLogEntry) => void;
}

const NO_ROWS: QueryResult = { columns: [], rows: [], truncated: false };

/** Shown on a chart whose query failed; the detail goes to the log only. */
export const QUERY_FAILED_MESSAGE = 'This chart could not be loaded: its query failed. The details are in the dashboard host’s log.';
/** Shown on a chart whose query ran past the time limit. */
export const QUERY_TIMEOUT_MESSAGE = 'This chart could not be loaded: its query took too long.';

/**
 * Runs every chart of `dashboard` with the values from `env`. Never rejects: each chart's
 * problem is captured in its own outcome.
 *
 * @example
 * const run = await runDashboard(dashboard, { ACCT_ID: '7' }, database, { timeoutMs: 30_000, log: console.warn });
 * run.charts[0].status; // 'ok'
 */
export async function runDashboard(dashboard: DashboardDefinition, env: Env, database: DataSource, options: RunOptions): Promise<DashboardRun> {
  let queries = 0;
  let failed = false;
  const charts = await Promise.all(
    dashboard.charts.map(async (chart, index): Promise<ChartOutcome> => {
      // A text chart runs no query: its text is in the definition.
      if (chart.type === 'text') return { chart, status: 'ok', result: NO_ROWS };
      const bound = bindChartVariables(chart, dashboard.variables, env);
      if (!bound.ok) return { chart, status: 'unavailable', message: bound.message };
      queries++;
      try {
        const result = await queryWithin(database, chart.sql, bound.params, { maxRows: chart.maxRows, timeoutMs: options.timeoutMs, env });
        if (result === 'timeout') {
          failed = true;
          options.log({ level: 'warn', event: 'query_timeout', message: `query ran past ${options.timeoutMs} ms`, dashboard: dashboard.id, chart: chartLabel(index, chart) });
          return { chart, status: 'failed', message: QUERY_TIMEOUT_MESSAGE };
        }
        return { chart, status: 'ok', result };
      } catch (error) {
        failed = true;
        options.log({
          level: 'error',
          event: 'query_failed',
          message: 'a chart query failed',
          dashboard: dashboard.id,
          chart: chartLabel(index, chart),
          detail: error instanceof Error ? error.message : String(error),
        });
        return { chart, status: 'failed', message: QUERY_FAILED_MESSAGE };
      }
    }),
  );
  return { charts, queries, failed };
}

function chartLabel(index: number, chart: ChartDefinition): string {
  return `charts[${index}] "${chart.title}"`;
}
