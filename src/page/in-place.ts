/**
 * A new token shown in place (`chartio:token`, docs/frame-protocol.md; with `fresh`, the
 * element's `refresh()`: `/data?refresh`, its queries run again): the page fetches that
 * token's data from `{page path}/data` (the token in the `Authorization` header, never in a URL),
 * replaces `<main>` (its charts drawn as SVG by the host) in one task, and posts ready for that token, or an error, upon which the element loads the
 * token's URL instead. A newer token aborts an older fetch. A Loading indicator covers the charts
 * only when the data takes longer than {@link UPDATING_DELAY_MS} (a cached token's data comes
 * back sooner: no flash).
 * @module
 */
import { EMBED_TOKEN_PARAM } from '../protocol/claims.js';
import { ERROR_MESSAGE_TYPE, FRAME_PROTOCOL_VERSION, READY_MESSAGE_TYPE } from '../protocol/frame-messages.js';
import { DEFAULT_LOCALE, UPDATING_DELAY_MS, UPDATING_ID } from '../protocol/page-markup.js';
import { byId } from './dom.js';
import { addImageControls } from './export-image.js';
import { currentLocale, setLocale } from './locale.js';
import { post } from './parent.js';
import { setDataTime, shownDataMs, shownDataTime } from './updated-ago.js';

/** The data route's answer (src/host/serve): the new `<main>`, charts drawn, when its data was read, or an error. */
export interface DataAnswer {
  dashboard?: number;
  main?: string;
  /** When the data was read (ISO 8601). */
  dataTime?: string;
  /** True when the data is past the dashboard's max age (the host is re-running it). */
  stale?: boolean;
  error?: { code?: unknown; status?: unknown; retryable?: unknown };
}

/** Why an update in place did not happen, as the error message tells the parent. */
type Failure = DataAnswer['error'];

let current: AbortController | undefined;
let updating: ReturnType<typeof setTimeout> | undefined;

function fail(token: string, error: Failure): void {
  post({
    type: ERROR_MESSAGE_TYPE,
    code: String(error?.code ?? 'in_place_failed'),
    status: Number(error?.status) || 0,
    retryable: error?.retryable === true,
    token,
  });
}

function showUpdating(): void {
  if (byId(UPDATING_ID)) return;
  document.querySelector('main')?.setAttribute('aria-busy', 'true');
  const note = Object.assign(document.createElement('p'), { id: UPDATING_ID, className: 'loading', textContent: 'Loading\u2026' });
  note.setAttribute('role', 'status');
  document.body.append(note);
}

function done(): void {
  clearTimeout(updating);
  byId(UPDATING_ID)?.remove();
  document.querySelector('main')?.removeAttribute('aria-busy');
}

/** Puts the fetched `<main>` (its charts drawn by the host) in place of the shown one. */
function swap(answer: Required<Pick<DataAnswer, 'main'>> & DataAnswer): void {
  const next = document.createElement('template');
  next.innerHTML = answer.main;
  // In the page's locale before it is shown.
  if (currentLocale() !== DEFAULT_LOCALE) setLocale(currentLocale(), next.content);
  done();
  document.querySelector('main')!.replaceWith(next.content);
  addImageControls();
}

/**
 * Asks the data route for `token`'s dashboard (`fresh`: a new run of its queries, `?refresh`,
 * which the host allows once per token per 10 s and otherwise answers with its newest data).
 *
 * @example
 * const { response, answer } = await fetchData(token, true);
 */
export async function fetchData(token: string, fresh: boolean, signal?: AbortSignal): Promise<{ response: Response; answer: DataAnswer }> {
  const response = await fetch(location.pathname.replace(/\/?$/, fresh ? '/data?refresh' : '/data'), {
    headers: { authorization: `Bearer ${token}` },
    cache: 'no-store',
    ...(signal ? { signal } : {}),
  });
  return { response, answer: (await response.json()) as DataAnswer };
}

/**
 * Whether an answer's data was read after the data on show.
 *
 * @example
 * if (isNewer(answer)) showAnswer(answer, 38727, token);
 */
export const isNewer = (answer: DataAnswer): boolean => typeof answer.main === 'string' && Date.parse(answer.dataTime ?? '') > shownDataMs();

/**
 * Puts an answer's dashboard on show for `token`: swaps `<main>` and the charts, says when its
 * data was read, puts the token in the page's URL, and posts `chartio:ready` with `dataTime`.
 *
 * @example
 * showAnswer(answer, 38727, token);
 */
export function showAnswer(answer: DataAnswer, dashboard: number, token: string): void {
  swap(answer as DataAnswer & { main: string });
  setDataTime(answer.dataTime);
  const url = new URL(location.href);
  url.searchParams.set(EMBED_TOKEN_PARAM, token);
  history.replaceState(history.state, '', url);
  post({ type: READY_MESSAGE_TYPE, dashboard, token, ...(shownDataTime() ? { dataTime: shownDataTime() } : {}) });
}

/**
 * Shows `token`'s dashboard in place of this one (see the module's description); `fresh` (the
 * element's `refresh()`): with data read again now. `dashboard` is this page's id: an answer for
 * another dashboard is an error. `version` is the message's: a version the page does not speak,
 * or a page that is itself an error page (`refuse`), is answered `in_place_unsupported` at once.
 *
 * @example
 * await showInPlace(token, 1, 38727, false, false);
 */
export async function showInPlace(token: string, version: unknown, dashboard: number, refuse: boolean, fresh = false): Promise<void> {
  if (version !== FRAME_PROTOCOL_VERSION || refuse) return fail(token, { code: 'in_place_unsupported' });
  current?.abort();
  const abort = (current = new AbortController());
  clearTimeout(updating);
  updating = setTimeout(showUpdating, UPDATING_DELAY_MS);
  try {
    const { response, answer } = await fetchData(token, fresh, abort.signal);
    if (abort !== current) return;
    if (!response.ok || answer.dashboard !== dashboard || typeof answer.main !== 'string') throw answer.error;
    showAnswer(answer, dashboard, token);
  } catch (error) {
    if (abort !== current) return;
    done();
    fail(token, error as Failure);
  }
}
