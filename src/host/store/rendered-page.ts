/**
 * A dashboard rendered for one token, as the cache keeps it: the complete page's bytes (head,
 * dashboard, the data's time, tail: what a cached page sends as it is), with the places of its two parts, `main`
 * and `charts`, so the data route reads them from the same bytes. One record serves both routes,
 * so a token's page and its data never disagree and cost one entry.
 * @module
 */
import { brotliCompressSync, constants } from 'node:zlib';
import type { EmbedClaims } from '../../protocol/index.js';
import { CHARTS_BLOCK_OPEN, pageBodyOf, PAGE_TAIL, type DashboardParts } from '../page/render-page.js';
import { DATA_TIME_ID } from '../../protocol/page-markup.js';

const encoder = new TextEncoder();
/** See {@link RenderedPage.brotli}. */
const BROTLI_QUALITY = 5;
const decoder = new TextDecoder();

/**
 * What a shared store keeps for a token: plain data that survives a trip through JSON. An
 * instance turns it back into a {@link RenderedPage} with its own page head.
 */
export interface StoredPage extends DashboardParts {
  /** The verified claims of the token the page was made for (its dashboard, env, iat, exp). */
  readonly claims: EmbedClaims;
  /** When the page leaves every cache, in milliseconds since the epoch (the token's `exp`, or sooner). */
  readonly expiresAt: number;
  /**
   * When its queries started, in milliseconds since the epoch: what max age counts from (absent in
   * a record an older instance stored: then as old as can be, so it is run again).
   */
  readonly dataTime?: number;
}

/**
 * One token's rendered dashboard. `bytes` is the complete page without Loading; `main` and
 * `charts` are read back from it on demand (the data route is rarer than pages, and keeping the
 * text twice would double the cache's memory).
 *
 * @example
 * const page = RenderedPage.create(head, { claims, expiresAt: claims.exp * 1000, ...parts });
 * page.bytes; // head + main + charts block + tail
 * page.main; // '<main>…</main>'
 */
export class RenderedPage {
  readonly claims: EmbedClaims;
  readonly expiresAt: number;
  /** When its queries started, in milliseconds since the epoch (0 when unknown). */
  readonly dataTime: number;
  /** The complete page: head, `main`, the charts block (when there are charts), tail. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The body alone (`main`, charts block, tail), a view into `bytes`: what a new token's stream ends with. */
  readonly body: Uint8Array<ArrayBuffer>;
  readonly #main: readonly [number, number];
  readonly #charts: readonly [number, number] | undefined;
  #brotli: Uint8Array | undefined;

  private constructor(claims: EmbedClaims, expiresAt: number, dataTime: number, bytes: Uint8Array<ArrayBuffer>, bodyStart: number, main: readonly [number, number], charts: readonly [number, number] | undefined) {
    this.claims = claims;
    this.expiresAt = expiresAt;
    this.dataTime = dataTime;
    this.bytes = bytes;
    this.body = bytes.subarray(bodyStart);
    this.#main = main;
    this.#charts = charts;
  }

  /**
   * Builds the page from a dashboard's page head (bytes up to `<body>`) and a stored record.
   *
   * @example
   * const page = RenderedPage.create(served.head, stored);
   */
  static create(head: Uint8Array, stored: StoredPage): RenderedPage {
    const main = encoder.encode(stored.main);
    const body = encoder.encode(pageBodyOf(stored).slice(stored.main.length) + dataTimeBlock(stored.dataTime ?? 0) + PAGE_TAIL);
    const bytes = new Uint8Array(head.byteLength + main.byteLength + body.byteLength);
    bytes.set(head, 0);
    bytes.set(main, head.byteLength);
    bytes.set(body, head.byteLength + main.byteLength);
    const mainEnd = head.byteLength + main.byteLength;
    let charts: [number, number] | undefined;
    if (stored.charts !== '[]') {
      const start = mainEnd + encoder.encode(CHARTS_BLOCK_OPEN).byteLength;
      charts = [start, start + encoder.encode(stored.charts).byteLength];
    }
    return new RenderedPage(stored.claims, stored.expiresAt, stored.dataTime ?? 0, bytes, head.byteLength, [head.byteLength, mainEnd], charts);
  }

  /**
   * `bytes` compressed with brotli, made on first use and kept with the page: a page is mostly
   * SVG, which shrinks about five times, and the frame downloads it on every view. Quality 5:
   * near the best ratio at a small fraction of quality 11's time (bench `host`).
   *
   * @example
   * new Response(page.brotli, { headers: { 'content-encoding': 'br' } });
   */
  get brotli(): Uint8Array {
    this.#brotli ??= brotliCompressSync(this.bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: this.bytes.byteLength } });
    return this.#brotli;
  }

  /** The dashboard this page shows. */
  get dashboard(): number {
    return this.claims.dashboard;
  }

  /** The `<main>` element, exactly as in the page. */
  get main(): string {
    return decoder.decode(this.bytes.subarray(this.#main[0], this.#main[1]));
  }

  /** The line and bar specs as JSON text (`[]` when the dashboard has none), exactly as in the page. */
  get charts(): string {
    return this.#charts ? decoder.decode(this.bytes.subarray(this.#charts[0], this.#charts[1])) : '[]';
  }

  /**
   * The record a shared store keeps.
   *
   * @example
   * JSON.stringify(page.toStored());
   */
  toStored(): StoredPage {
    return { claims: this.claims, expiresAt: this.expiresAt, dataTime: this.dataTime, main: this.main, charts: this.charts };
  }
}

/** The block that tells the page script when its data was read (ISO 8601; 0: unknown, shown as such). */
function dataTimeBlock(dataTime: number): string {
  return `<script type="application/json" id="${DATA_TIME_ID}">"${new Date(dataTime).toISOString()}"</script>`;
}
