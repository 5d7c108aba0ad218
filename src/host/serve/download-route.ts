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
 *    the turn does not come within its `maxWaitMs`; the download keeps its place until its last byte is out), bounded in rows
 *    (`download.maxRows`), in bytes (the host's `download.maxBytes`) and in time (each wait for
 *    the database's next rows, the first included, is bounded by the host's `queryTimeoutMs`).
 * The rows are read from the database a chunk at a time and written as CSV as the client takes
 * them (the response's backpressure), so the host's memory stays flat whatever the file's size.
 * A file that fits in {@link PREFETCH_BYTES} is sent whole, with `Chartio-Rows` and
 * `Chartio-Truncated` headers; a larger one streams, without them. Either way, a file a bound
 * stopped ends with a `# Truncated: …` line (see `csv.ts`). An error before the first byte is a
 * JSON error like the data route's; a query that fails after it cuts the connection, so no client
 * takes half a file for a whole one.
 * The answer is never cached by anyone (`no-store`): each download runs the query again. Each
 * download, refused or served, is reported once it ends (`report`: the audit line and metrics).
 * @module
 */
import { bindChartVariables } from '../sources/bind-variables.js';
import { bytesResponse } from './bytes-response.js';
import { CsvPieces, type CsvProgress } from './csv-pieces.js';
import { downloadOf } from '../definition/dashboard-definition.js';
import type { HostErrorCode } from '../page/error-page.js';
import { dataError, retriesAfter } from './page-responses.js';
import type { PageRuns } from '../token-pages/page-runs.js';
import type { ServedDashboard } from '../token-pages/served-dashboard.js';
import { errorDetail } from '../observability/host-log.js';
import type { EmbedClaims } from '../../protocol/index.js';
import type { HostLogEntry, RowStream } from '../types.js';
import { openRowStream } from '../sources/row-stream.js';
import { findSqlParameters } from '../definition/sql-parameters.js';

/** What the route needs from its host. */
export interface DownloadRouteOptions {
  /** Verifies the token as for a page, revocation cut-offs included. */
  readonly runs: Pick<PageRuns, 'admit'>;
  readonly queryTimeoutMs: number;
  /** The most bytes one file holds (`download.maxBytes`). */
  readonly maxBytes: number;
  readonly retryAfterSeconds: number;
  readonly log: (entry: HostLogEntry) => void;
  /** Told once per download that carried a token, when it has ended (its last byte out, refused, failed or abandoned). */
  readonly report?: (report: DownloadReport) => void;
}

/** A download, as the route reports it once it has ended. */
export interface DownloadReport {
  readonly token: string;
  readonly dashboard: number;
  readonly chart: number;
  /** The HTTP status sent. */
  readonly status: number;
  /**
   * `ok`; the refusal's code (`token_expired`, `queue_full`, `download_disabled`, …);
   * `query_failed`; or `cancelled` when the client went away before the end.
   */
  readonly code: string;
  /** Whether the token was refused (as a page's would be) rather than served. */
  readonly refused: boolean;
  /** The verified token's claims (absent when it failed verification). */
  readonly claims?: EmbedClaims;
  /** Rows and bytes written, and the bound that stopped the file, when any was written. */
  readonly progress?: CsvProgress;
  /** `performance.now()` when the request arrived. */
  readonly started: number;
}

/** The most characters of a chart title kept in a file name. */
const MAX_NAME = 100;

/**
 * Bytes read ahead before the answer starts: a file this small (most are) is sent whole, with
 * headers that say how many rows it holds; a larger one streams.
 */
export const PREFETCH_BYTES = 1024 * 1024;

/**
 * Answers a download request for chart `index` of `served`, under `token` (the `Authorization`
 * header's, `undefined` when there was none). Never rejects.
 *
 * @example
 * return serveDownload(bearerToken(request.headers.get('authorization')), served, route.chart, { runs, queryTimeoutMs, maxBytes, retryAfterSeconds, log });
 */
export async function serveDownload(token: string | undefined, served: ServedDashboard, index: number, options: DownloadRouteOptions): Promise<Response> {
  const started = performance.now();
  const { definition } = served;
  if (token === undefined) return dataError('token_missing', 'A download takes the embed token in an "Authorization: Bearer {token}" header, never in the URL.');
  const report = (status: number, code: string, extra: { refused?: boolean; claims?: EmbedClaims; progress?: CsvProgress } = {}) =>
    options.report?.({ token, dashboard: definition.id, chart: index, status, code, refused: extra.refused ?? false, started, ...(extra.claims ? { claims: extra.claims } : {}), ...(extra.progress ? { progress: extra.progress } : {}) });
  /** A refusal before anything runs: reported, then answered as JSON. */
  const refuse = (code: HostErrorCode, detail: string | undefined, claims?: EmbedClaims, extra: readonly [string, string][] = []) => {
    const response = dataError(code, detail, extra);
    report(response.status, code, { refused: true, ...(claims ? { claims } : {}) });
    return response;
  };
  const admitted = await options.runs.admit(token, definition.id);
  if (admitted.kind === 'refused') return refuse(admitted.code, admitted.detail, admitted.claims, retriesAfter(admitted.code) ? [['retry-after', String(options.retryAfterSeconds)]] : []);
  const { claims } = admitted;
  const chart = definition.charts[index];
  if (!chart) return refuse('not_found', `This dashboard has ${definition.charts.length} charts (0 to ${definition.charts.length - 1}); there is no chart ${index}.`, claims);
  const download = downloadOf(definition, chart);
  if (!download) return refuse('download_disabled', `Downloads are turned off for the chart "${chart.title}".`, claims);
  const bound = bindChartVariables({ ...chart, variables: download.variables }, definition.variables, claims.env);
  if (!bound.ok) return refuse('chart_unavailable', bound.message, claims);
  const ticket = served.queue.reserve();
  if (!ticket || !(await ticket.turn())) return refuse('queue_full', 'Too many dashboards are being prepared right now; try the download again in a moment.', claims, [['retry-after', String(options.retryAfterSeconds)]]);

  // The queue place is held from the turn until the download ends, its last byte included.
  let release!: () => void;
  await new Promise<void>((turn) => void ticket.run(() => new Promise<void>((resolve) => ((release = resolve), turn()))));
  const label = `charts[${index}] "${chart.title}" download`;
  const controller = new AbortController();
  const within = readWithin(options.queryTimeoutMs, controller);
  let rows: RowStream | undefined;
  let pieces: CsvPieces | undefined;
  let ended = false;
  /** Once: the rows closed, the queue place given up, the download reported. */
  const end = async (status: number, code: string) => {
    if (ended) return;
    ended = true;
    await rows?.close().catch(() => undefined);
    release();
    report(status, code, { claims, ...(pieces ? { progress: pieces.progress } : {}) });
  };
  const failed = (error: unknown) => {
    const timedOut = error instanceof DownloadTimeout;
    options.log({
      level: timedOut ? 'warn' : 'error',
      event: timedOut ? 'query_timeout' : 'query_failed',
      message: timedOut ? `download query waited past ${options.queryTimeoutMs} ms for its rows` : 'a download query failed',
      dashboard: definition.id,
      chart: label,
      ...(timedOut ? {} : { detail: errorDetail(error) }),
    });
    return timedOut;
  };

  const first: Uint8Array[] = [];
  let complete = false;
  try {
    // The parameters the load check agreed on with the database (the source refuses others), and the
    // whole env (a source may carry it into the database: row-level security settings).
    const streamOptions = { maxRows: download.maxRows + 1, signal: controller.signal, timeoutMs: options.queryTimeoutMs, parameters: findSqlParameters(download.sql), env: claims.env };
    rows = await within(openRowStream(served.database, download.sql, bound.params, streamOptions), (late) => void late.close());
    pieces = new CsvPieces(rows, { maxRows: download.maxRows, maxBytes: options.maxBytes }, within);
    for (let size = 0; size < PREFETCH_BYTES; ) {
      const piece = await pieces.next();
      if (piece === undefined) {
        complete = true;
        break;
      }
      first.push(piece);
      size += piece.byteLength;
    }
  } catch (error) {
    const timedOut = failed(error);
    const response = dataError('query_failed', timedOut ? 'The chart’s query took too long.' : 'The chart’s query failed. The details are in the dashboard host’s log.');
    await end(response.status, 'query_failed');
    return response;
  }

  const name = fileName(chart.title);
  const headers: [string, string][] = [
    ['content-type', 'text/csv; charset=utf-8; header=present'],
    ['content-disposition', `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`],
    ['cache-control', 'no-store'],
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'no-referrer'],
  ];
  if (complete) {
    const { progress } = pieces;
    await end(200, 'ok');
    // How many rows the file holds, and whether a bound stopped it: known, since it is whole.
    return bytesResponse(200, [...headers, ['chartio-rows', String(progress.rows)], ['chartio-truncated', String(progress.truncated !== undefined)]], concat(first));
  }
  const csv = pieces;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(stream) {
        const ready = first.shift();
        if (ready) return stream.enqueue(ready);
        try {
          const piece = await csv.next();
          if (piece) return stream.enqueue(piece);
          stream.close();
          await end(200, 'ok');
        } catch (error) {
          failed(error);
          await end(200, 'query_failed');
          // Half a file is out: an error cuts the connection, so the client cannot take it for whole.
          stream.error(error);
        }
      },
      async cancel() {
        controller.abort(new Error('the client went away'));
        await end(200, 'cancelled');
      },
    },
    // Nothing read ahead: the next chunk is read from the database when the client has taken this one.
    { highWaterMark: 0 },
  );
  return new Response(body, { status: 200, headers });
}

class DownloadTimeout extends Error {}

/**
 * Bounds each wait for the database in `timeoutMs`: past it, the query is aborted through
 * `controller` and the wait rejects with a `DownloadTimeout`; `late` gets what the wait gives after
 * all (a row stream opened too late, to close).
 */
function readWithin(timeoutMs: number, controller: AbortController) {
  return async <T>(wait: Promise<T>, late?: (value: T) => void): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new DownloadTimeout()), timeoutMs);
    });
    try {
      return await Promise.race([wait, timeout]);
    } catch (error) {
      if (error instanceof DownloadTimeout) {
        controller.abort(error);
        wait.then(late, () => undefined); // its rejection after the abort is expected, not unhandled
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
}

function concat(pieces: readonly Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const all = new Uint8Array(pieces.reduce((size, piece) => size + piece.byteLength, 0));
  let offset = 0;
  for (const piece of pieces) {
    all.set(piece, offset);
    offset += piece.byteLength;
  }
  return all;
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
