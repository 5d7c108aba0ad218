/**
 * The events `<chartio-embed>` fires: their details, their typing in
 * `GlobalEventHandlersEventMap`, and the one helper that dispatches them.
 * @module
 */
import type { ClickDetail } from '../protocol/frame-messages.js';

/** `chartio-token`: a token is ready for the current filters. */
export interface ChartioTokenDetail {
  /** The token's expiry (`exp`), seconds since the epoch, when known. */
  expiresAt: number | undefined;
  /** `true` when the token came from the page's token cache, with no request. */
  reused: boolean;
  /**
   * Only on a token the element asked for by itself because the dashboard host refused the one
   * it had: the host's code (`token_expired`, `token_key_unknown`, `token_lifetime`,
   * `token_revoked`). That request carried `fresh` (a token issued now, past the signer's reuse
   * window). At most one such renewal per filter set per minute; if its token is refused too,
   * `chartio-error` reports the refusal.
   */
  renewal?: string;
}

/** `chartio-load`: the dashboard page said it is rendered (`chartio:ready`) for the current token. */
export interface ChartioLoadDetail {
  /** The dashboard id the page shows. */
  dashboard: number;
  /** `true` when the token came from the page's token cache, with no request. */
  reused: boolean;
  /** `true` when it was shown without loading the frame again (updated in place, or already on show). */
  inPlace: boolean;
  /**
   * When the shown data was read by the dashboard host (ISO 8601), when the page says (this
   * project's host does). Fired again, `inPlace`, when the page swaps in newer data by itself.
   */
  dataTime?: string;
}

/**
 * `chartio-click`: what the viewer clicked, or activated with the keyboard, in the dashboard.
 * Values are raw, as text (numbers as JavaScript prints them, dates as ISO text, `null` for SQL
 * NULL), ready to become a filter. By chart type:
 * - bar, line: `label` the point's label, `series` its series' column, `value` its value, `row` its row;
 * - table (and a line or bar chart's data table): `label` the row's first cell, `series` and `value` `null`, `row` the row;
 * - number: `label` `null`, `series` the column, `value` the value, `row` `{ [column]: value }`.
 */
export type ChartioClickDetail = ClickDetail;

/** `chartio-error`: what went wrong, in which phase. */
export interface ChartioErrorDetail {
  /** `config`: invalid attributes (no request made); `token`: getting a token; `frame`: loading the dashboard. */
  phase: 'config' | 'token' | 'frame';
  /** The HTTP status the token endpoint (`token`) or the dashboard host (`frame`) answered with, when it did. */
  status?: number;
  /**
   * The endpoint's `error.code`, the dashboard host's (`token_signature`, `token_expired`,
   * `not_found`, …), or one of the element's own: `invalid_dashboard`, `invalid_endpoint`,
   * `invalid_base_url`, `invalid_filters`, `network`, `offline`, `timeout`, `bad_answer`,
   * `http_error`, `fetch_token`, `frame_timeout` (the page said nothing in time), `frame_refused`
   * (the page loaded but did not speak the frame protocol within 2 s: a host whose
   * `frameAncestors` leaves out this page's origin, a proxy's or login page, another version).
   */
  code?: string;
  /** What happened, for the developer (the element shows the viewer a sentence of its own); never a stack trace. */
  message: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chartio-token': CustomEvent<ChartioTokenDetail>;
    'chartio-load': CustomEvent<ChartioLoadDetail>;
    'chartio-error': CustomEvent<ChartioErrorDetail>;
    'chartio-click': CustomEvent<ChartioClickDetail>;
  }
}

/**
 * Dispatches a bubbling, composed `CustomEvent` from `target`.
 *
 * @example
 * fire(element, 'chartio-token', { expiresAt: 1700000000, reused: false });
 */
export function fire<K extends 'chartio-token' | 'chartio-load' | 'chartio-error' | 'chartio-click'>(
  target: EventTarget,
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
