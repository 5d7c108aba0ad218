/**
 * The inline style and script every page of the host carries, dashboards and error pages alike.
 * They are constant (each page's data travels in `<script type="application/json">` blocks, which
 * never execute), so the Content-Security-Policy allows them by SHA-256 hash: a cached page needs
 * no fresh nonce, and nothing injected into a page could run.
 * @module
 */
import { createHash } from 'node:crypto';
import {
  APPEARANCE_MESSAGE_TYPE,
  EMBED_TOKEN_PARAM,
  ERROR_MESSAGE_TYPE,
  FRAME_PROTOCOL_VERSION,
  HEIGHT_MESSAGE_TYPE,
  MAX_TOKEN_LENGTH,
  READY_MESSAGE_TYPE,
  TOKEN_MESSAGE_TYPE,
} from '../../protocol/index.js';
import { DEFAULT_LOCALE } from './format-value.js';
import { CHARTS_SCRIPT } from './page-script-charts.js';
import { INTERACTIONS_SCRIPT } from './page-script-interactions.js';
import { HEAD_SCRIPT, THEME_STYLE } from './page-theme.js';

/** The id of the Loading element a new token's page shows while its queries run. */
export const LOADING_ID = 'chartio-loading';
/** The id of the Loading indicator shown over the charts while a new token's data is fetched in place. */
export const UPDATING_ID = 'chartio-updating';
/** The id of the JSON block with the page's settings (`parentOrigins`). */
export const CONFIG_ID = 'chartio-config';
/** The id of the JSON block with the line and bar charts' data. */
export const CHARTS_ID = 'chartio-charts';

/** The page's look: plain, readable, narrow-screen friendly; its colours from the theme (page-theme.ts). */
export const PAGE_STYLE = `
${THEME_STYLE}
:root{font-size:14px;line-height:1.45;color:var(--fg);background:var(--bg)}
body{margin:0;padding:16px}
h1{font-size:20px;margin:0 0 12px}
.loading{margin:24px 0;font-size:16px;color:var(--muted)}
#${UPDATING_ID}{position:fixed;inset:0;margin:0;display:grid;place-content:center;background:var(--veil)}
.charts{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(220px,1fr))}
.chart{margin:0;padding:12px;border:1px solid var(--line);border-radius:6px;min-width:0}
.chart-line,.chart-bar,.chart-table{grid-column:1/-1}
.chart h2{font-size:13px;font-weight:600;margin:0 0 8px;color:var(--muted)}
.chart-number .value{font-size:28px;font-weight:600;width:max-content;max-width:100%}
.canvas-box{position:relative;height:260px}
.table-box{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart tbody tr:hover,.chart tbody tr:focus{background:var(--hover)}
.chart-number .value,.chart tbody tr,.chart canvas{cursor:pointer}
:focus-visible{outline:2px solid var(--series);outline-offset:2px}
.note{color:var(--faint);font-size:12px;margin:6px 0 0}
.note p{margin:0 0 4px}
.chart-message{color:var(--warn-fg);background:var(--warn-bg);border-radius:4px;padding:8px;margin:0}
.error{max-width:560px;margin:32px auto}
.error code{background:var(--code);padding:1px 4px;border-radius:3px}
th.num{text-align:right}
.chart-empty{color:var(--muted);margin:0}
.chart-data{margin-top:8px;font-size:12px}
.chart-data summary{cursor:pointer;color:var(--muted);width:max-content}
.chart-actions{margin:8px 0 0;font-size:12px;color:var(--muted);display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.download{font:inherit;color:var(--fg);background:none;border:1px solid var(--line);border-radius:4px;padding:2px 8px;cursor:pointer}
.download:hover{background:var(--hover)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`.trim();

/** Streamed after a new token's queries finish: hides Loading even where scripts do not run. */
export const HIDE_LOADING_STYLE = `#${LOADING_ID}{display:none}`;

/** How long an in-place update may take before the page shows its Loading indicator, in ms. */
export const UPDATING_DELAY_MS = 100;

const json = JSON.stringify;

export { HEAD_SCRIPT };

/**
 * The page script (an inline module, so it runs once the page is parsed, after the deferred chart
 * library; {@link HEAD_SCRIPT} has run before it, in `<head>`). It speaks the frame protocol
 * (src/protocol/frame-messages.ts, docs/frame-protocol.md):
 * - removes Loading, shows the numbers and dates in the locale the frame's URL asks for
 *   (page-theme.ts) and draws the charts (page-script-charts.ts), then posts `chartio:ready` (or,
 *   on an error page or a dashboard whose run failed as a whole, `chartio:error` with the code,
 *   status and whether a retry can help, read from `<main class="error">`), and posts its height
 *   as it changes;
 * - posts only to the configured parent origins (never `'*'`), and on error pages rendered
 *   without them only what is public (code and status) to the parent the host's `frame-ancestors`
 *   let frame it;
 * - accepts `chartio:token` and `chartio:appearance` only from its parent window and a configured
 *   parent origin. For a token it fetches that token's data from `{page path}/data` (the token in
 *   the `Authorization` header, never in a URL), replaces `<main>` (keeping the charts' canvases,
 *   which get the new data), redraws the charts in the same task, and posts ready for that token,
 *   or an error, upon which the element loads the token's URL instead. A newer token aborts an
 *   older fetch. A Loading indicator covers the charts only when the data takes longer than
 *   {@link UPDATING_DELAY_MS} (a cached token's data comes back sooner: no flash). An appearance
 *   is applied at once: theme, accent, font, the locale's texts and the charts, no request;
 * - reports clicks, moves through charts with the keyboard and saves downloads
 *   (page-script-interactions.ts).
 */
export const PAGE_SCRIPT = `
const byId = (id) => document.getElementById(id);
const read = (id) => { const el = byId(id); return el ? JSON.parse(el.textContent) : null; };
const root = document.documentElement;
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
${CHARTS_SCRIPT}
${INTERACTIONS_SCRIPT}
byId(${json(LOADING_ID)})?.remove();
// The locale the frame's URL asked for (HEAD_SCRIPT has hidden the charts until this is done).
try {
  if (root.dataset.reformat) setLocale(root.dataset.reformat);
} finally {
  delete root.dataset.reformat;
}
draw(read(${json(CHARTS_ID)}));
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => root.dataset.theme === "auto" && restyle());
const failure = document.querySelector("main.error[data-code]");
if (failure) {
  const status = Number(failure.dataset.status) || 0;
  post({ type: ${json(ERROR_MESSAGE_TYPE)}, code: failure.dataset.code, status, retryable: status >= 500 });
} else {
  post({ type: ${json(READY_MESSAGE_TYPE)}, dashboard, token: new URLSearchParams(location.search).get(${json(EMBED_TOKEN_PARAM)}) ?? undefined });
}
let last = -1;
const postHeight = () => {
  const height = Math.ceil(root.getBoundingClientRect().height);
  if (height === last) return;
  last = height;
  post({ type: ${json(HEIGHT_MESSAGE_TYPE)}, height });
};
postHeight();
new ResizeObserver(postHeight).observe(root);

let current;
let updating;
const done = () => {
  clearTimeout(updating);
  byId(${json(UPDATING_ID)})?.remove();
  document.querySelector("main")?.removeAttribute("aria-busy");
};
// The whole look, each time: what a message leaves out goes back to the page's default.
const appear = (look) => {
  const wanted = chartioLook(look);
  if (wanted !== locale) setLocale(wanted);
  restyle();
};
addEventListener("message", async (event) => {
  const data = event.data;
  if (event.source !== window.parent || !accepted.includes(event.origin)) return;
  if (data?.type === ${json(APPEARANCE_MESSAGE_TYPE)} && data.version === version) {
    targets = [event.origin];
    return appear(data);
  }
  if (data?.type !== ${json(TOKEN_MESSAGE_TYPE)}) return;
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
    // In the page's locale before it is shown.
    if (locale !== ${json(DEFAULT_LOCALE)}) setLocale(locale, next.content);
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
