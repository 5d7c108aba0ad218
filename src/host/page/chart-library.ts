/**
 * The charting library the dashboard pages draw with (Chart.js), served by the host itself so a
 * page needs no CDN. Chart.js is an optional peer dependency: it is looked up only when a
 * dashboard has a line or bar chart, and its absence is an error that says what to install.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MissingPeerError } from '../sources/optional-peer.js';

/** The library's bytes, ready to serve. */
export interface StaticAsset {
  /** The file, with its source-map comment removed (the map is not served). */
  readonly body: Uint8Array<ArrayBuffer>;
  /** The same, gzip-compressed once at load. */
  readonly gzip: Uint8Array<ArrayBuffer>;
  /** A strong ETag from the content. */
  readonly etag: string;
  /** A short content hash for the URL (`?v=`), so the URL changes when the file does. */
  readonly version: string;
}

/** Thrown when the chart library is not installed. */
export const CHART_LIBRARY_MISSING = 'Dashboards with line or bar charts need the chart.js package, which is not installed: npm install chart.js';

/**
 * Reads Chart.js's browser build (`dist/chart.umd.min.js`, which sets `window.Chart`) from
 * wherever Node resolves the `chart.js` package.
 *
 * @example
 * const asset = loadChartLibrary();
 * asset.body.byteLength; // about 210 kB
 */
export function loadChartLibrary(resolveFrom: string = import.meta.url): StaticAsset {
  let file: string;
  try {
    // The package's exports map does not list the UMD build: resolve the main entry (dist/…)
    // and take its sibling.
    file = join(dirname(createRequire(resolveFrom).resolve('chart.js')), 'chart.umd.min.js');
  } catch (error) {
    throw new MissingPeerError(CHART_LIBRARY_MISSING, { cause: error });
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MissingPeerError(`${CHART_LIBRARY_MISSING} (its browser build ${file} cannot be read)`, { cause: error });
  }
  return staticAsset(text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
}

/**
 * Wraps text as a {@link StaticAsset}: bytes, gzip, ETag and version hash.
 *
 * @example
 * staticAsset('console.log(1)').version; // 16 hex digits
 */
export function staticAsset(text: string): StaticAsset {
  const body = new TextEncoder().encode(text);
  const hash = createHash('sha256').update(body).digest('hex');
  return { body, gzip: new Uint8Array(gzipSync(body, { level: 9 })), etag: `"${hash.slice(0, 32)}"`, version: hash.slice(0, 16) };
}

/**
 * Answers a request for a static asset: 304 when the ETag matches, gzip when accepted, cached
 * for a year (the page's URL carries the version, so a new file gets a new URL).
 *
 * @example
 * serveAsset(asset, request.headers, 'text/javascript; charset=utf-8');
 */
export function serveAsset(asset: StaticAsset, headers: { get(name: string): string | null }, contentType: string): Response {
  const common: [string, string][] = [
    ['cache-control', 'public, max-age=31536000, immutable'],
    ['etag', asset.etag],
    ['vary', 'accept-encoding'],
    ['x-content-type-options', 'nosniff'],
    ['cross-origin-resource-policy', 'same-origin'],
  ];
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === asset.etag)) {
    return new Response(null, { status: 304, headers: common });
  }
  const gzip = /\bgzip\b/.test(headers.get('accept-encoding') ?? '');
  return new Response(gzip ? asset.gzip : asset.body, {
    status: 200,
    headers: [...common, ['content-type', contentType], ...(gzip ? [['content-encoding', 'gzip'] as [string, string]] : [])],
  });
}
