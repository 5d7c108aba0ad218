/**
 * The inline style and script every page of the host carries, dashboards and error pages alike.
 * They are constant (each page's data travels in `<script type="application/json">` blocks, which
 * never execute), so the Content-Security-Policy allows them by SHA-256 hash: a cached page needs
 * no fresh nonce, and nothing injected into a page could run.
 * @module
 */
import { createHash } from 'node:crypto';
import {
  EMBED_TOKEN_PARAM,
  ERROR_MESSAGE_TYPE,
  FRAME_PROTOCOL_VERSION,
  HEIGHT_MESSAGE_TYPE,
  MAX_TOKEN_LENGTH,
  READY_MESSAGE_TYPE,
  TOKEN_MESSAGE_TYPE,
} from '../protocol/index.js';

/** The id of the Loading element a new token's page shows while its queries run. */
export const LOADING_ID = 'chartio-loading';
/** The id of the Loading indicator shown over the charts while a new token's data is fetched in place. */
export const UPDATING_ID = 'chartio-updating';
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
#${UPDATING_ID}{position:fixed;inset:0;margin:0;display:grid;place-content:center;background:rgb(255 255 255/.7)}
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
.note p{margin:0 0 4px}
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

/** How long an in-place update may take before the page shows its Loading indicator, in ms. */
export const UPDATING_DELAY_MS = 100;

const json = JSON.stringify;

/**
 * The page script (an inline module, so it runs once the page is parsed, after the deferred chart
 * library). It speaks the frame protocol (src/protocol/frame-messages.ts, docs/frame-protocol.md):
 * - removes Loading and draws the charts, then posts `chartio:ready` (or, on an error page or a
 *   dashboard whose run failed as a whole, `chartio:error` with the code, status and whether a
 *   retry can help, read from `<main class="error">`), and posts its height as it changes;
 * - posts only to the configured parent origins (never `'*'`), and on error pages rendered
 *   without them only what is public (code and status) to the parent the host's `frame-ancestors`
 *   let frame it;
 * - accepts `chartio:token` only from its parent window and a configured parent origin: it then
 *   fetches that token's data from `{page path}/data` (the token in the `Authorization` header,
 *   never in a URL), replaces `<main>` (keeping the charts' canvases, which get the new data),
 *   redraws the charts in the same task, and posts ready for
 *   that token, or an error, upon which the element loads the token's URL instead. A newer token
 *   aborts an older fetch. A Loading indicator covers the charts only when the data takes longer
 *   than {@link UPDATING_DELAY_MS} (a cached token's data comes back sooner: no flash).
 */
export const PAGE_SCRIPT = `
const byId = (id) => document.getElementById(id);
const read = (id) => { const el = byId(id); return el ? JSON.parse(el.textContent) : null; };
const config = read(${json(CONFIG_ID)});
const accepted = config?.parentOrigins ?? [];
// The parent's own origin when the browser tells it (Chromium's ancestorOrigins; a referrer),
// so nothing is posted to a configured origin that is not the parent's.
let targets = (() => {
  if (!config) return ["*"];
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor && accepted.includes(ancestor)) return [ancestor];
  try { const origin = new URL(document.referrer).origin; if (accepted.includes(origin)) return [origin]; } catch {}
  return accepted;
})();
const version = ${json(FRAME_PROTOCOL_VERSION)};
const dashboard = Number(/\\/d\\/(\\d+)\\/?$/.exec(location.pathname)?.[1]);
const post = (message) => {
  if (window.parent === window) return;
  for (const origin of targets) window.parent.postMessage({ ...message, version }, origin);
};
const Chart = window.Chart;
const dataOf = (spec) => ({ labels: spec.labels, datasets: spec.series.map((s) => ({ label: s.label, data: s.data })) });
// Draws each chart; one of the charts given (by canvas id) still on its canvas gets the new data instead,
// which is quicker than a new chart. Those not drawn again are let go.
const draw = (specs, charts = new Map()) => {
  for (const spec of specs ?? []) {
    const canvas = byId(spec.canvas);
    if (!canvas || !Chart) continue;
    const chart = charts.get(spec.canvas);
    charts.delete(spec.canvas);
    if (chart?.canvas === canvas && chart.config.type === spec.type) {
      chart.data = dataOf(spec);
      chart.options.plugins.legend.display = spec.series.length > 1;
      chart.update("none");
      continue;
    }
    chart?.destroy();
    new Chart(canvas, {
      type: spec.type,
      data: dataOf(spec),
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: spec.series.length > 1 } } },
    });
  }
  for (const chart of charts.values()) chart.destroy();
};
byId(${json(LOADING_ID)})?.remove();
draw(read(${json(CHARTS_ID)}));
const failure = document.querySelector("main.error[data-code]");
if (failure) {
  const status = Number(failure.dataset.status) || 0;
  post({ type: ${json(ERROR_MESSAGE_TYPE)}, code: failure.dataset.code, status, retryable: status >= 500 });
} else {
  post({ type: ${json(READY_MESSAGE_TYPE)}, dashboard, token: new URLSearchParams(location.search).get(${json(EMBED_TOKEN_PARAM)}) ?? undefined });
}
let last = -1;
const postHeight = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === last) return;
  last = height;
  post({ type: ${json(HEIGHT_MESSAGE_TYPE)}, height });
};
postHeight();
new ResizeObserver(postHeight).observe(document.documentElement);

let current;
let updating;
const done = () => {
  clearTimeout(updating);
  byId(${json(UPDATING_ID)})?.remove();
  document.querySelector("main")?.removeAttribute("aria-busy");
};
addEventListener("message", async (event) => {
  const data = event.data;
  if (event.source !== window.parent || !accepted.includes(event.origin) || data?.type !== ${json(TOKEN_MESSAGE_TYPE)}) return;
  const token = data.token;
  if (typeof token !== "string" || token.length > ${MAX_TOKEN_LENGTH} || !/^[\\w-]+\\.[\\w-]+\\.[\\w-]+$/.test(token)) return;
  targets = [event.origin];
  const fail = (error) => post({ type: ${json(ERROR_MESSAGE_TYPE)}, code: String(error?.code ?? "in_place_failed"), status: Number(error?.status) || 0, retryable: error?.retryable === true, token });
  if (data.version !== version || failure) return fail({ code: "in_place_unsupported" });
  current?.abort();
  const abort = (current = new AbortController());
  clearTimeout(updating);
  updating = setTimeout(() => {
    if (byId(${json(UPDATING_ID)})) return;
    document.querySelector("main")?.setAttribute("aria-busy", "true");
    const note = Object.assign(document.createElement("p"), { id: ${json(UPDATING_ID)}, className: "loading", textContent: "Loading\\u2026" });
    note.setAttribute("role", "status");
    document.body.append(note);
  }, ${UPDATING_DELAY_MS});
  try {
    const response = await fetch(location.pathname.replace(/\\/?$/, "/data"), { headers: { authorization: "Bearer " + token }, cache: "no-store", signal: abort.signal });
    const answer = await response.json();
    if (abort !== current) return;
    if (!response.ok || answer.dashboard !== dashboard || typeof answer.main !== "string") throw answer.error;
    const next = document.createElement("template");
    next.innerHTML = answer.main;
    done();
    // The charts on show keep their canvas: each canvas box takes the place of its new twin.
    const main = document.querySelector("main");
    const charts = new Map();
    for (const canvas of main.querySelectorAll("canvas")) {
      const chart = Chart?.getChart(canvas);
      const twin = next.content.getElementById(canvas.id);
      if (chart) charts.set(canvas.id, chart);
      if (chart && twin) twin.parentNode.replaceWith(canvas.parentNode);
    }
    main.replaceWith(next.content);
    draw(answer.charts, charts);
    const url = new URL(location.href);
    url.searchParams.set(${json(EMBED_TOKEN_PARAM)}, token);
    history.replaceState(history.state, "", url);
    post({ type: ${json(READY_MESSAGE_TYPE)}, dashboard, token });
  } catch (error) {
    if (abort !== current) return;
    done();
    fail(error);
  }
});
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
