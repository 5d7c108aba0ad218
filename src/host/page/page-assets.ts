/**
 * The inline style and scripts every page of the host carries, dashboards and error pages alike.
 * They are constant (each page's data travels in `<script type="application/json">` blocks, which
 * never execute), so the Content-Security-Policy allows them by SHA-256 hash: a cached page needs
 * no fresh nonce, and nothing injected into a page could run.
 *
 * The scripts are the page runtime (src/page, TypeScript, built by rollup into
 * page-runtime.generated.ts): `HEAD_SCRIPT` (src/page/head.ts) applies the look the frame URL's
 * fragment asks for before the first paint; `PAGE_SCRIPT` (src/page/main.ts) speaks the frame
 * protocol. They are inlined rather than served as files: a page is `no-store` and streamed, and
 * an inline script costs no request on a first view (a file would be one more round trip before
 * the page could post `chartio:ready`), while an in-place update runs the script already loaded
 * either way (see src/page/README.md).
 * @module
 */
import { createHash } from 'node:crypto';
import { LOADING_ID, UPDATING_ID } from '../../protocol/page-markup.js';
import { HEAD_SCRIPT, PAGE_SCRIPT } from './page-runtime.generated.js';
import { CHART_INSET_PX, layoutStyle, PAGE_PADDING_PX } from './layout.js';
import { EXPORTS_STYLE } from './exports-style.js';
import { THEME_STYLE } from './page-theme.js';
import { DRAWING_STYLE } from '../charts/drawing-style.js';

// The ids and the delay the host's markup shares with the page runtime.
export { CHARTS_ID, CONFIG_ID, LOADING_ID, POINT_STATUS_ID, UPDATING_DELAY_MS, UPDATING_ID } from '../../protocol/page-markup.js';
export { HEAD_SCRIPT, PAGE_SCRIPT };

/** The page's look: plain, readable, narrow-screen friendly; its colours from the theme (page-theme.ts). */
export const PAGE_STYLE = `
${THEME_STYLE}
:root{font-size:14px;line-height:1.45;color:var(--fg);background:var(--bg)}
body{margin:0;padding:${PAGE_PADDING_PX}px}
h1{font-size:20px;margin:0 0 12px}
.loading{margin:24px 0;font-size:16px;color:var(--muted)}
.updated{margin:-8px 0 12px;font-size:12px;color:var(--muted)}
#${UPDATING_ID}{position:fixed;inset:0;margin:0;display:grid;place-content:center;background:var(--veil)}
${layoutStyle()}
.chart{margin:0;padding:${CHART_INSET_PX - 1}px;border:1px solid var(--line);border-radius:6px;min-width:0}
.chart h2{font-size:13px;font-weight:600;margin:0 0 8px;color:var(--muted)}
.chart-number .value{font-size:28px;font-weight:600;width:max-content;max-width:100%}
${DRAWING_STYLE}
.table-box{overflow:auto;max-height:var(--chart-height,none)}
.change{margin:2px 0 0;font-size:13px;font-variant-numeric:tabular-nums}
.sparkline{display:block;width:100%;height:32px;margin-top:6px;stroke:var(--series)}
th .sort{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:inherit}
th[aria-sort=ascending] .sort::after{content:" ▲"}
th[aria-sort=descending] .sort::after{content:" ▼"}
tfoot th,tfoot td{font-weight:600;border-top:2px solid var(--line)}
tbody th{font-weight:400;text-align:left}
.text{overflow-wrap:anywhere}
.text>:first-child{margin-top:0}
.text>:last-child{margin-bottom:0}
.text a{color:var(--accent)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.chart tbody tr:hover,.chart tbody tr:focus{background:var(--hover)}
.chart-number .value,.chart tbody tr,.chart-svg [ecmeta_data_index]{cursor:pointer}
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
${EXPORTS_STYLE}
`.trim();

/** Streamed after a new token's queries finish: hides Loading even where scripts do not run. */
export const HIDE_LOADING_STYLE = `#${LOADING_ID}{display:none}`;

/**
 * The CSP source expression allowing one inline block by hash: `'sha256-…'`.
 *
 * @example
 * cspHash('#chartio-loading{display:none}'); // "'sha256-…'"
 */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
