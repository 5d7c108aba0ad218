/**
 * The inline style and script every dashboard page carries. They are constant (each page's data
 * travels in `<script type="application/json">` blocks, which never execute), so the
 * Content-Security-Policy allows them by SHA-256 hash: a cached page needs no fresh nonce, and
 * nothing injected into a page could run.
 * @module
 */
import { createHash } from 'node:crypto';
import { HEIGHT_MESSAGE_TYPE } from '../protocol/index.js';

/** The id of the Loading element a new token's page shows while its queries run. */
export const LOADING_ID = 'chartio-loading';
/** The id of the JSON block with the page's settings (`parentOrigins`). */
export const CONFIG_ID = 'chartio-config';
/** The id of the JSON block with the line and bar charts' data. */
export const CHARTS_ID = 'chartio-charts';

/** The page's look: plain, readable, narrow-screen friendly. */
export const PAGE_STYLE = `
:root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#fff}
body{margin:0;padding:16px}
h1{font-size:20px;margin:0 0 12px}
.loading{margin:24px 0;font-size:16px;color:#52606d}
.charts{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
.chart{margin:0;padding:12px;border:1px solid #e4e7eb;border-radius:6px;min-width:0}
.chart-line,.chart-bar,.chart-table{grid-column:1/-1}
.chart h2{font-size:13px;font-weight:600;margin:0 0 8px;color:#52606d}
.chart-number .value{font-size:28px;font-weight:600}
.canvas-box{position:relative;height:260px}
.table-box{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e4e7eb;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#616e7c;font-size:12px;margin:6px 0 0}
.chart-message{color:#8a4b08;background:#fffaeb;border-radius:4px;padding:8px;margin:0}
.error{max-width:560px;margin:32px auto}
.error code{background:#f5f7fa;padding:1px 4px;border-radius:3px}
th.num{text-align:right}
.chart-empty{color:#52606d;margin:0}
.chart-data{margin-top:8px;font-size:12px}
.chart-data summary{cursor:pointer;color:#52606d;width:max-content}
`.trim();

/** Streamed after a new token's queries finish: hides Loading even where scripts do not run. */
export const HIDE_LOADING_STYLE = `#${LOADING_ID}{display:none}`;

/**
 * Runs after the page is parsed (an inline module script is deferred, and runs after the deferred
 * chart library): removes Loading, draws the charts, and posts the page's height to the embedding
 * page, only to the configured origins (never `'*'`).
 */
export const PAGE_SCRIPT = `
const read = (id) => { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; };
const config = read(${JSON.stringify(CONFIG_ID)}) ?? { parentOrigins: [] };
document.getElementById(${JSON.stringify(LOADING_ID)})?.remove();
const Chart = window.Chart;
for (const spec of read(${JSON.stringify(CHARTS_ID)}) ?? []) {
  const canvas = document.getElementById(spec.canvas);
  if (!canvas || !Chart) continue;
  new Chart(canvas, {
    type: spec.type,
    data: { labels: spec.labels, datasets: spec.series.map((s) => ({ label: s.label, data: s.data })) },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: spec.series.length > 1 } } },
  });
}
const allowed = config.parentOrigins;
const targets = (() => {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor && allowed.includes(ancestor)) return [ancestor];
  try { const origin = new URL(document.referrer).origin; if (allowed.includes(origin)) return [origin]; } catch {}
  return allowed;
})();
if (window.parent !== window && targets.length > 0) {
  let last = -1;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    for (const origin of targets) window.parent.postMessage({ type: ${JSON.stringify(HEIGHT_MESSAGE_TYPE)}, height }, origin);
  };
  post();
  new ResizeObserver(post).observe(document.documentElement);
}
`.trim();

/**
 * The CSP source expression allowing one inline block by hash: `'sha256-…'`.
 *
 * @example
 * cspHash('#chartio-loading{display:none}'); // "'sha256-…'"
 */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
