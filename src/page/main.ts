/**
 * The page script: the page's side of the frame protocol (src/protocol/frame-messages.ts,
 * docs/frame-protocol.md). The host inlines its bundle (`PAGE_SCRIPT`, built by rollup from this
 * entry, scripts/page-bundle.mjs) as a module in every page, dashboards and error pages alike,
 * the head script (head.ts) has already applied the look of the frame URL's fragment. The charts
 * are SVG the host drew; in order, the script:
 * - listens for clicks, keys, hover, downloads and table sorting (clicks.ts, keyboard.ts,
 *   hover.ts, downloads.ts, table-sort.ts), and adds each chart's "Download image" buttons
 *   (export-image.ts);
 * - removes Loading, shows the numbers and dates (the charts' texts too) in the locale the
 *   frame's URL asks for, then posts `chartio:ready` (or, on an error page or a dashboard whose run failed
 *   as a whole, `chartio:error` with the code, status and whether a retry can help, read from
 *   `<main class="error">`), and posts its height as it changes (height.ts);
 * - says when its data was read ("Updated 3 minutes ago", updated-ago.ts) and, shown past its max
 *   age, asks for the newer data the host is making (newer-data.ts);
 * - accepts `chartio:token` (in-place.ts; `fresh`: run again, the element's refresh()),
 *   `chartio:appearance` (look.ts) and `chartio:print` (print.ts) only from its parent
 *   window and a configured parent origin (parent.ts). An appearance is applied at once: theme,
 *   accent, font, the locale's texts and the charts, with no request.
 * @module
 */
import { EMBED_TOKEN_PARAM, isCompactJws } from '../protocol/claims.js';
import { APPEARANCE_MESSAGE_TYPE, ERROR_MESSAGE_TYPE, FRAME_PROTOCOL_VERSION, PRINT_MESSAGE_TYPE, READY_MESSAGE_TYPE, TOKEN_MESSAGE_TYPE } from '../protocol/frame-messages.js';
import { LOADING_ID } from '../protocol/page-markup.js';
import { listenToClicks } from './clicks.js';
import { byId, root } from './dom.js';
import { listenToHover } from './hover.js';
import { save } from './downloads.js';
import { addImageControls, listenToImageDownloads } from './export-image.js';
import { listenToKeyboard } from './keyboard.js';
import { reportHeight } from './height.js';
import { showInPlace } from './in-place.js';
import { listenToSorting } from './table-sort.js';
import { currentLocale, setLocale } from './locale.js';
import { applyLook, type LookInput } from './look.js';
import { askForNewerData } from './newer-data.js';
import { showUpdated, shownDataTime } from './updated-ago.js';
import { answerTo, fromParent, post } from './parent.js';
import { printDashboard } from './print.js';

listenToClicks(save);
listenToKeyboard();
listenToSorting();
listenToHover();
listenToImageDownloads();
addImageControls();
byId(LOADING_ID)?.remove();
// The locale the frame's URL asked for (the head script has hidden the charts until this is done).
try {
  if (root().dataset.reformat) setLocale(root().dataset.reformat!);
} finally {
  delete root().dataset.reformat;
}

// The dashboard's id, from the page's path (`…/d/{id}/`).
const dashboard = Number(/\/d\/(\d+)\/?$/.exec(location.pathname)?.[1]);
const failure = document.querySelector<HTMLElement>('main.error[data-code]');
if (failure) {
  const status = Number(failure.dataset.status) || 0;
  post({ type: ERROR_MESSAGE_TYPE, code: failure.dataset.code, status, retryable: status >= 500 });
} else {
  showUpdated();
  const dataTime = shownDataTime();
  post({ type: READY_MESSAGE_TYPE, dashboard, token: new URLSearchParams(location.search).get(EMBED_TOKEN_PARAM) ?? undefined, ...(dataTime ? { dataTime } : {}) });
  askForNewerData(dashboard);
}
reportHeight();

// The whole look, each time: what a message leaves out goes back to the page's default.
function appear(look: LookInput): void {
  const wanted = applyLook(look);
  // The charts' colours and font are the theme's custom properties: they follow by themselves.
  if (wanted !== currentLocale()) setLocale(wanted);
  showUpdated();
}

addEventListener('message', (event: MessageEvent) => {
  const data = event.data as LookInput | null;
  if (!fromParent(event)) return;
  if (data?.type === APPEARANCE_MESSAGE_TYPE && data.version === FRAME_PROTOCOL_VERSION) {
    answerTo(event.origin);
    return appear(data);
  }
  if (data?.type === PRINT_MESSAGE_TYPE && data.version === FRAME_PROTOCOL_VERSION) return printDashboard();
  // A token of any version is answered (an unknown version with in_place_unsupported).
  if (data?.type !== TOKEN_MESSAGE_TYPE || !isCompactJws(data.token)) return;
  answerTo(event.origin);
  void showInPlace(data.token, data.version, dashboard, failure !== null, (data as { fresh?: unknown }).fresh === true);
});
