/**
 * The frame protocol: the messages a dashboard page and the page that embeds it exchange with
 * `postMessage`. The dashboard host's page script posts and reads them, the `<chartio-embed>`
 * element reads and posts them; both take the names, the version and the shape checks from here.
 * docs/frame-protocol.md describes the protocol for anyone who writes their own host.
 *
 *     page → element   chartio:ready  { dashboard, token?, dataTime? }  the dashboard is rendered
 *     page → element   chartio:error  { code, status, retryable, token? }  it cannot be shown
 *     page → element   chartio:height { height }                     its content height
 *     element → page   chartio:token  { token, fresh? }              show this token in place (fresh: data read now)
 *     element → page   chartio:appearance { theme, locale?, accent?, font? }  look like this
 *     page → element   chartio:click  { chart, title, label, series, value, row }  the viewer chose this
 *     element → page   chartio:print  {}                             print the dashboard
 *
 * Every message carries `version`. A page is updated in place only when its `chartio:ready`
 * carried the element's own {@link FRAME_PROTOCOL_VERSION}; otherwise the element loads the new URL.
 * Appearance, click and print were added within version 1: each side ignores a message type it does not
 * know, so a page without them keeps its own look and reports no clicks, and nothing else changes.
 * @module
 */
import { isCompactJws, isPositiveId } from './claims.js';

/** The protocol version both sides put in every message. In place needs the same version on both sides. */
export const FRAME_PROTOCOL_VERSION = 1;

/** The `type` of the message that reports the dashboard's content height. */
export const HEIGHT_MESSAGE_TYPE = 'chartio:height';
/** The `type` of the message a page posts once its dashboard is rendered. */
export const READY_MESSAGE_TYPE = 'chartio:ready';
/** The `type` of the message a page posts when it cannot show the dashboard. */
export const ERROR_MESSAGE_TYPE = 'chartio:error';
/** The `type` of the message the element posts to show another token in place. */
export const TOKEN_MESSAGE_TYPE = 'chartio:token';
/** The `type` of the message the element posts to set the page's theme, locale, accent and font. */
export const APPEARANCE_MESSAGE_TYPE = 'chartio:appearance';
/** The `type` of the message a page posts when the viewer clicks (or activates) a bar, a point, a row or a number. */
export const CLICK_MESSAGE_TYPE = 'chartio:click';
/** The `type` of the message the element posts to have the page print the dashboard (its print stylesheet applies). */
export const PRINT_MESSAGE_TYPE = 'chartio:print';

/**
 * The largest height, in CSS pixels, the element grows an auto-sized frame to unless its
 * `max-height` attribute says otherwise: a page that keeps reporting more cannot grow without end.
 */
export const MAX_FRAME_HEIGHT = 10_000;

/** `{ type: 'chartio:height', version, height }`: the dashboard's content height in CSS pixels. */
export interface HeightMessage {
  type: typeof HEIGHT_MESSAGE_TYPE;
  /** Absent in pages older than the versioned protocol; the height is read all the same. */
  version?: number;
  height: number;
}

/** `{ type: 'chartio:ready', version, dashboard, token? }`: the dashboard is rendered. */
export interface ReadyMessage {
  type: typeof READY_MESSAGE_TYPE;
  version: number;
  /** The dashboard id the page shows. */
  dashboard: number;
  /**
   * The token whose data the page shows. Required in answer to a `chartio:token` message (the
   * element tells a late answer for an older token from the current one by it); optional on a
   * page's first load, where the frame's own URL names the token.
   */
  token?: string;
  /**
   * When the shown data was read (ISO 8601), if the host says. A page may post `chartio:ready`
   * again, unasked, for the token on show when it swaps in newer data by itself (a page shown
   * past its max age gets the host's background run's data).
   */
  dataTime?: string;
}

/** `{ type: 'chartio:error', version, code, status, retryable, token? }`: the dashboard cannot be shown. */
export interface ErrorMessage {
  type: typeof ERROR_MESSAGE_TYPE;
  version: number;
  /** The host's stable code: `token_signature`, `token_expired`, `not_found`, `internal_error`, … */
  code: string;
  /** The HTTP status the host answered (or would have answered) with; 0 when there was none. */
  status: number;
  /** Whether asking again can help (a 5xx); a 4xx is not retried. */
  retryable: boolean;
  /** The token a failed in-place update was for (required then, like {@link ReadyMessage.token}). */
  token?: string;
}

/** `{ type: 'chartio:token', version, token, fresh? }`: show this token's dashboard in place. */
export interface TokenMessage {
  type: typeof TOKEN_MESSAGE_TYPE;
  version: number;
  token: string;
  /**
   * `true` (the element's `refresh()`): with data read now, not the cached page's (the host runs
   * the token's queries again, at most once per token per 10 s). Added within version 1: a page
   * that does not know it shows the token's cached data, as before.
   */
  fresh?: boolean;
}

/** The dashboard themes both sides know: `auto` follows the viewer's `prefers-color-scheme`. */
export const THEMES = ['light', 'dark', 'auto'] as const;
/** One of {@link THEMES}. */
export type Theme = (typeof THEMES)[number];

/**
 * `{ type: 'chartio:appearance', version, theme, locale?, accent?, font? }`: how the page should
 * look. Each message is the whole look: a field left out means the page's own default for it.
 */
export interface AppearanceMessage {
  type: typeof APPEARANCE_MESSAGE_TYPE;
  version: number;
  /** `light` (the default), `dark`, or `auto`: whichever the viewer's system prefers. */
  theme?: Theme;
  /** A BCP 47 language tag (`de-DE`) for numbers and dates; default: the host's own (`en-US`). */
  locale?: string;
  /** A CSS colour for the charts' first series and the focus ring. */
  accent?: string;
  /** A CSS `font-family` list for the page's text and the charts' labels. */
  font?: string;
}

/**
 * What the viewer clicked or activated with the keyboard, as the page reports it (and the
 * element's `chartio-click` event carries it). Values are raw, as text: numbers as JavaScript
 * prints them (decimals exactly), dates as ISO text, other text as it is, `null` for SQL NULL;
 * ready to become a Hidden Variable's value (a filter) as they are.
 *
 * | chart | `label` | `series` | `value` | `row` |
 * |---|---|---|---|---|
 * | bar, line | the point's label (first column) | the series' column name | the point's value | the point's row |
 * | table (and a line or bar chart's data table) | the row's first cell | `null` | `null` | the row |
 * | number | `null` | the column's name | the number (or text) shown | `{ [column]: value }` |
 */
export interface ClickDetail {
  /** The chart's position in the dashboard's `charts`, from 0 (as in `charts[2]` of the file). */
  chart: number;
  /** The chart's title. */
  title: string;
  label: string | null;
  series: string | null;
  value: string | null;
  /** Every column of the row clicked, by column name. */
  row: Record<string, string | null>;
}

/** `{ type: 'chartio:click', version, ...detail }`: see {@link ClickDetail}. */
export interface ClickMessage extends ClickDetail {
  type: typeof CLICK_MESSAGE_TYPE;
  version: number;
}

/**
 * `{ type: 'chartio:print', version }`: print the dashboard (the browser's print dialog, whose
 * "Save as PDF" gives a PDF), with the page's print stylesheet. No answer: the dialog is the
 * viewer's. A page without it ignores the message.
 */
export interface PrintMessage {
  type: typeof PRINT_MESSAGE_TYPE;
  version: number;
}

/** A message a dashboard page posts to the page that embeds it, as {@link pageMessage} reads it. */
export type PageMessage = ReadyMessage | ErrorMessage;

/**
 * The height a message reports, or `undefined` when it is not a well-formed height message
 * (another type, a height that is not a finite number, or a negative one).
 *
 * @example
 * // In the dashboard page:
 * parent.postMessage({ type: HEIGHT_MESSAGE_TYPE, version: FRAME_PROTOCOL_VERSION, height: 812 }, embedderOrigin);
 * // In the embedding page:
 * heightFromMessage({ type: 'chartio:height', version: 1, height: 812 }); // 812
 * heightFromMessage({ type: 'chartio:height', height: -1 }); // undefined
 */
export function heightFromMessage(data: unknown): number | undefined {
  const message = data as Partial<HeightMessage> | null;
  const height = typeof message === 'object' && message?.type === HEIGHT_MESSAGE_TYPE ? message.height : undefined;
  return typeof height === 'number' && height >= 0 && height < Infinity ? height : undefined;
}

/**
 * `data` as a ready or error message when it is a well-formed one of any version, else
 * `undefined`. A shape check only: who posted it (the frame's own window, from the base URL's
 * origin) is the receiver's to check.
 *
 * @example
 * pageMessage({ type: 'chartio:ready', version: 1, dashboard: 38727 }); // the message
 * pageMessage({ type: 'chartio:error', version: 1, code: 'token_expired', status: 401, retryable: false }); // the message
 * pageMessage({ type: 'chartio:ready', version: 1, dashboard: '38727' }); // undefined
 */
export function pageMessage(data: unknown): PageMessage | undefined {
  const message = data as Partial<Record<keyof ReadyMessage | keyof ErrorMessage, unknown>> | null;
  if (typeof message !== 'object' || message === null || typeof message.version !== 'number') return undefined;
  if (message.token !== undefined && !isCompactJws(message.token)) return undefined;
  if (message.type === READY_MESSAGE_TYPE) {
    return isPositiveId(message.dashboard) && (message.dataTime === undefined || typeof message.dataTime === 'string') ? (message as unknown as ReadyMessage) : undefined;
  }
  if (message.type === ERROR_MESSAGE_TYPE) {
    const { code, status, retryable } = message;
    return typeof code === 'string' && typeof status === 'number' && typeof retryable === 'boolean' ? (message as unknown as ErrorMessage) : undefined;
  }
  return undefined;
}

/**
 * The token a `chartio:token` message carries, when it is a well-formed one of this protocol
 * version; else `undefined`. The page script applies the same rule (it is plain text served to
 * the browser and cannot import this module); test/host/browser-page.test.ts drives it.
 *
 * @example
 * tokenFromMessage({ type: 'chartio:token', version: 1, token: 'eyJh.eyJv.c2ln' }); // 'eyJh.eyJv.c2ln'
 * tokenFromMessage({ type: 'chartio:token', version: 2, token: 'eyJh.eyJv.c2ln' }); // undefined
 */
export function tokenFromMessage(data: unknown): string | undefined {
  const message = data as Partial<TokenMessage> | null;
  return typeof message === 'object' && message?.type === TOKEN_MESSAGE_TYPE && message.version === FRAME_PROTOCOL_VERSION && isCompactJws(message.token)
    ? message.token
    : undefined;
}

const textOrNull = (value: unknown): boolean => value === null || typeof value == 'string';

/**
 * The detail of a well-formed `chartio:click` message (of any version: a click is only ever
 * reported), else `undefined`. Only the known fields are kept. A shape check only: who posted it
 * (the shown frame's window, from the base URL's origin) is the receiver's to check.
 *
 * @example
 * clickFromMessage({ type: 'chartio:click', version: 1, chart: 0, title: 'Revenue by product', label: 'Team', series: 'revenue', value: '1234.5', row: { product: 'Team', revenue: '1234.5' } });
 * // { chart: 0, title: 'Revenue by product', label: 'Team', series: 'revenue', value: '1234.5', row: { product: 'Team', revenue: '1234.5' } }
 */
export function clickFromMessage(data: unknown): ClickDetail | undefined {
  const { type, chart, title, label, series, value, row } = (data ?? {}) as Partial<ClickMessage>;
  return type == CLICK_MESSAGE_TYPE &&
    chart! >= 0 &&
    Number.isInteger(chart) &&
    typeof title == 'string' &&
    [label, series, value].every(textOrNull) &&
    typeof row == 'object' &&
    !!row &&
    Object.values(row).every(textOrNull)
    ? { chart: chart!, title, label: label!, series: series!, value: value!, row }
    : undefined;
}
