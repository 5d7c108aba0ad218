/**
 * The download route: `GET {basePath}/d/{dashboard}/charts/{n}.csv` with `Authorization: Bearer
 * {JWT}` answers chart `n`'s rows as CSV, exactly the rows the token's env allows. In order:
 * 1. the token comes from the `Authorization` header only (never the URL, where logs keep it;
 *    the page script fetches with the header and saves the answer from a Blob), and is verified
 *    exactly as for a page (organization, the dashboard in the path, HS256, expiry, revocation
 *    cut-offs: `PageRuns.admit`), so an expired, foreign or revoked token downloads nothing;
 * 2. the chart must exist and its download be on (a dashboard's `"downloads": false` or a chart's
 *    `"download": false` turns it off: 403 `download_disabled`);
 * 3. its query (the chart's own, or its `download.sql`, which the `everywhere` rule checked at
 *    load like every chart's) runs with the token's env bound as parameters, nothing else: the
 *    URL's query string is never read, so no parameter can widen it;
 * 4. through the data source's run queue (503 `queue_full` with `Retry-After` when it is full or
 *    the turn does not come within its `maxWaitMs`),
 *    bounded in rows (`download.maxRows`) and in time (the host's `queryTimeoutMs`).
 * The answer is never cached by anyone (`no-store`): each download runs the query again.
 * @module
 */
import { bindChartVariables } from '../sources/bind-variables.js';
import { bytesResponse } from './bytes-response.js';
import { toCsv } from '../page/csv.js';
import { downloadOf } from '../definition/dashboard-definition.js';
import { dataError, retriesAfter } from './page-responses.js';
import { describe, type PageRuns, type ServedDashboard } from './page-runs.js';
import type { Env } from '../../protocol/index.js';
import type { HostLogEntry, QueryParams, QueryResult } from '../types.js';
import { queryWithin } from '../sources/query-within.js';

/** What the route needs from its host. */
export interface DownloadRouteOptions {
  /** Verifies the token as for a page, revocation cut-offs included. */
  readonly runs: Pick<PageRuns, 'admit'>;
  readonly queryTimeoutMs: number;
  readonly retryAfterSeconds: number;
  readonly log: (entry: HostLogEntry) => void;
}

/** The most characters of a chart title kept in a file name. */
const MAX_NAME = 100;

/**
 * Answers a download request for chart `index` of `served`, under `token` (the `Authorization`
 * header's, `undefined` when there was none). Never rejects.
 *
 * @example
 * return serveDownload(bearerToken(request.headers.get('authorization')), served, route.chart, { runs, queryTimeoutMs, retryAfterSeconds, log });
 */
export async function serveDownload(token: string | undefined, served: ServedDashboard, index: number, options: DownloadRouteOptions): Promise<Response> {
  const { definition } = served;
  if (token === undefined) return dataError('token_missing', 'A download takes the embed token in an "Authorization: Bearer {token}" header, never in the URL.');
  const admitted = await options.runs.admit(token, definition.id);
  if (admitted.kind === 'refused') return dataError(admitted.code, admitted.detail, retriesAfter(admitted.code) ? [['retry-after', String(options.retryAfterSeconds)]] : []);
  const { env } = admitted.claims;
  const chart = definition.charts[index];
  if (!chart) return dataError('not_found', `This dashboard has ${definition.charts.length} charts (0 to ${definition.charts.length - 1}); there is no chart ${index}.`);
  const download = downloadOf(definition, chart);
  if (!download) return dataError('download_disabled', `Downloads are turned off for the chart "${chart.title}".`);
  const bound = bindChartVariables({ ...chart, variables: download.variables }, definition.variables, env);
  if (!bound.ok) return dataError('chart_unavailable', bound.message);
  const ticket = served.queue.reserve();
  if (!ticket || !(await ticket.turn())) return dataError('queue_full', 'Too many dashboards are being prepared right now; try the download again in a moment.', [['retry-after', String(options.retryAfterSeconds)]]);

  const label = `charts[${index}] "${chart.title}" download`;
  let result: QueryResult;
  try {
    result = await ticket.run(() => runBounded(served, download.sql, bound.params, env, download.maxRows, options.queryTimeoutMs));
  } catch (error) {
    const timedOut = error instanceof DownloadTimeout;
    options.log({
      level: timedOut ? 'warn' : 'error',
      event: timedOut ? 'query_timeout' : 'query_failed',
      message: timedOut ? `download query ran past ${options.queryTimeoutMs} ms` : 'a download query failed',
      dashboard: definition.id,
      chart: label,
      ...(timedOut ? {} : { detail: describe(error) }),
    });
    return dataError('query_failed', timedOut ? 'The chart’s query took too long.' : 'The chart’s query failed. The details are in the dashboard host’s log.');
  }
  const name = fileName(chart.title);
  return bytesResponse(200, [
    ['content-type', 'text/csv; charset=utf-8; header=present'],
    ['content-disposition', `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`],
    ['cache-control', 'no-store'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
    // How many rows the file holds, and whether the query had more than the download's bound.
    ['chartio-rows', String(result.rows.length)],
    ['chartio-truncated', String(result.truncated)],
  ], toCsv(result));
}

class DownloadTimeout extends Error {}

/** Runs the query within `timeoutMs` (then aborted: {@link queryWithin}); past it, a `DownloadTimeout`. */
async function runBounded(served: ServedDashboard, sql: string, params: QueryParams, env: Env, maxRows: number, timeoutMs: number): Promise<QueryResult> {
  // The whole env too: a source may carry it into the database (row-level security settings).
  const result = await queryWithin(served.database, sql, params, { maxRows, timeoutMs, env });
  if (result === 'timeout') throw new DownloadTimeout();
  return result;
}

/**
 * The file's name: the chart's title without characters file systems refuse, and `.csv`.
 *
 * @example
 * fileName('Revenue / month: "EU"'); // 'Revenue _ month_ _EU_.csv'
 */
export function fileName(title: string): string {
  const safe = title.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').trim().slice(0, MAX_NAME);
  return `${safe || 'chart'}.csv`;
}
