/**
 * The host's answers as Fetch `Response`s, for the two routes a token's dashboard is served on:
 * - the **page** (HTML): a cached page whole; a pending one streamed, head and Loading at once,
 *   the dashboard when its run ends; an error page with the status its rule has;
 * - the **data route** (JSON, for in-place updates): `{dashboard, main, charts, dataTime, stale}` from the same
 *   rendered page, or `{error: {code, status, retryable, message}}` with the error page's status.
 * @module
 */
import { bytesResponse } from './bytes-response.js';
import { errorRule, renderErrorPage, type HostErrorCode } from '../page/error-page.js';
import type { PageOutcome } from '../token-pages/page-outcome.js';
import { HIDE_LOADING_HTML, PAGE_TAIL } from '../page/render-page.js';
import type { RenderedPage } from '../store/rendered-page.js';

const encoder = new TextEncoder();
const HIDE_LOADING_BYTES = encoder.encode(HIDE_LOADING_HTML);
const BROTLI: readonly [string, string][] = [['content-encoding', 'br']];

/** Headers of the data route's answers: JSON, never cached (one viewer's data), never sniffed. */
const DATA_HEADERS: readonly [string, string][] = [
  ['content-type', 'application/json; charset=utf-8'],
  ['cache-control', 'no-store'],
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
];

/** Builds the HTML answers of one host (its page headers are fixed at start-up). */
export class PageResponses {
  readonly #headers: readonly [string, string][];
  readonly #failedRunBytes: Uint8Array;
  readonly #retryAfter: readonly [string, string][];
  readonly #parentOrigins: readonly string[];

  /**
   * `retryAfterSeconds`: what a 503 for a full queue tells the client to wait. `parentOrigins`:
   * where error pages post `chartio:error`, as the dashboards' own pages do (never `'*'`).
   */
  constructor(headers: readonly [string, string][], retryAfterSeconds: number, parentOrigins: readonly string[]) {
    this.#headers = headers;
    this.#parentOrigins = parentOrigins;
    this.#retryAfter = [['retry-after', String(retryAfterSeconds)]];
    this.#failedRunBytes = encoder.encode(failedRunHtml());
  }

  /**
   * The page route's answer for an outcome of the runs layer. `headWithLoading` (the dashboard's
   * page head and the Loading line, one chunk) is sent at once when the page is still pending.
   * `brotli`: the browser accepts it (see `acceptsBrotli`), so a ready page goes compressed (a
   * pending one streams as it is: its Loading line must show at once).
   *
   * @example
   * return responses.page(await runs.serve(token, served), served.headWithLoading, acceptsBrotli(request.headers.get('accept-encoding')));
   */
  page(outcome: PageOutcome, headWithLoading: Uint8Array, brotli = false): Response {
    switch (outcome.kind) {
      case 'ready':
        return brotli ? this.html(200, outcome.page.brotli, BROTLI) : this.html(200, outcome.page.bytes);
      case 'refused':
        return this.error(outcome.code, outcome.detail, retriesAfter(outcome.code) ? this.#retryAfter : undefined);
      case 'pending':
        return this.html(200, this.#stream(headWithLoading, outcome.page));
    }
  }

  /**
   * An HTML answer with the page headers (and any `extra` ones).
   *
   * @example
   * responses.html(200, bytes);
   */
  html(status: number, body: Uint8Array | string | ReadableStream<Uint8Array>, extra: readonly [string, string][] = []): Response {
    const headers = extra.length === 0 ? this.#headers : [...this.#headers, ...extra];
    if (body instanceof ReadableStream) return new Response(body, { status, headers: headers as [string, string][] });
    return bytesResponse(status, headers, body);
  }

  /**
   * The error page for `code` (frame's `renderErrorPage`), with its status.
   *
   * @example
   * responses.error('not_found');
   */
  error(code: HostErrorCode, detail?: string, extra?: readonly [string, string][]): Response {
    const rendered = renderErrorPage(code, detail, { parentOrigins: this.#parentOrigins });
    return this.html(rendered.status, rendered.html, extra);
  }

  /** Head and Loading now; when the run ends, the style that hides Loading, then the dashboard. */
  #stream(headWithLoading: Uint8Array, page: Promise<RenderedPage>): ReadableStream<Uint8Array> {
    const failed = this.#failedRunBytes;
    return new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(headWithLoading);
        page.then(
          (rendered) => finish(controller, [HIDE_LOADING_BYTES, rendered.body]),
          () => finish(controller, [HIDE_LOADING_BYTES, failed]),
        );
      },
    });
  }
}

/**
 * The data route's answer for an outcome: 200 with `{dashboard, main, charts, dataTime, stale}`
 * once the page is ready (waiting for a pending one), else the error as JSON. `dataTime` is when
 * its queries started (ISO 8601); `stale` says the data is past `maxAgeMs` (a re-run is under way
 * or will be: ask again shortly for the newer data).
 *
 * @example
 * return await dataResponse(await runs.serve(token, served), 2, 900_000, Date.now);
 */
export async function dataResponse(outcome: PageOutcome, retryAfterSeconds: number, maxAgeMs?: number, now: () => number = Date.now): Promise<Response> {
  if (outcome.kind === 'refused') return dataError(outcome.code, outcome.detail, retriesAfter(outcome.code) ? [['retry-after', String(retryAfterSeconds)]] : []);
  let page: RenderedPage;
  try {
    page = outcome.kind === 'ready' ? outcome.page : await outcome.page;
  } catch {
    return dataError('internal_error');
  }
  const stale = maxAgeMs !== undefined && now() - page.dataTime >= maxAgeMs;
  const body = `{"dashboard":${page.dashboard},"main":${JSON.stringify(page.main)},"charts":${page.charts},"dataTime":"${new Date(page.dataTime).toISOString()}","stale":${stale}}`;
  return bytesResponse(200, DATA_HEADERS, body);
}

/** Messages for the codes the data route answers without a verifier's message of its own. */
const DATA_MESSAGES: Partial<Record<HostErrorCode, string>> = {
  token_missing: 'The data route takes the embed token in an "Authorization: Bearer {token}" header, never in the URL.',
  // As their error pages say them.
  ...Object.fromEntries((['not_found', 'method_not_allowed', 'host_closed', 'internal_error'] as const).map((code) => [code, errorRule(code).sentence])),
};

/**
 * A JSON error of the data route: `{"error":{"code","status","retryable","message"}}` with the
 * status the error page for `code` has; `retryable` for 5xx. `detail` (the verifier's message)
 * is the message when given.
 *
 * @example
 * dataError('token_missing'); // 401 {"error":{"code":"token_missing","status":401,"retryable":false,…}}
 */
export function dataError(code: HostErrorCode, detail?: string, extra: readonly [string, string][] = []): Response {
  const { status, code: shown } = errorRule(code);
  const message = detail ?? DATA_MESSAGES[shown] ?? `The dashboard host refused the request (${shown}).`;
  const body = JSON.stringify({ error: { code: shown, status, retryable: status >= 500, message } });
  return bytesResponse(status, [...DATA_HEADERS, ...extra], body);
}

/** Ends a stream, unless the client has gone (then the controller is closed already). */
function finish(controller: ReadableStreamDefaultController<Uint8Array>, chunks: Uint8Array[]): void {
  try {
    for (const chunk of chunks) controller.enqueue(chunk);
    controller.close();
  } catch {
    // The reader cancelled: nobody to finish for. The page is cached all the same.
  }
}

/** What a streamed page ends with when its run failed after Loading was sent (status is 200 by then). */
function failedRunHtml(): string {
  const { html } = renderErrorPage('internal_error');
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>') + '</main>'.length);
  return `${main}${PAGE_TAIL}`;
}

/**
 * Whether a refusal with `code` carries `Retry-After`: those that pass by themselves shortly (a
 * busy queue, a shared store that cannot be read).
 *
 * @example
 * retriesAfter('queue_full'); // true
 */
export function retriesAfter(code: string): boolean {
  return code === 'queue_full' || code === 'revocation_unavailable';
}
