/**
 * The events `<chartio-embed>` fires: their details, their typing in
 * `GlobalEventHandlersEventMap`, and the one helper that dispatches them.
 * @module
 */

/** `chartio-token`: a token is ready for the current filters. */
export interface ChartioTokenDetail {
  /** The token's expiry (`exp`), seconds since the epoch, when known. */
  expiresAt: number | undefined;
  /** `true` when the token came from the page's token cache, with no request. */
  reused: boolean;
}

/** `chartio-error`: what went wrong, in which phase. */
export interface ChartioErrorDetail {
  /** `config`: invalid attributes (no request made); `token`: getting a token; `frame`: loading the dashboard. */
  phase: 'config' | 'token' | 'frame';
  /** The token endpoint's HTTP status, when it answered. */
  status?: number;
  /**
   * The endpoint's `error.code`, or one of the element's own: `invalid_dashboard`,
   * `invalid_endpoint`, `invalid_base_url`, `invalid_filters`, `network`, `offline`, `timeout`,
   * `bad_answer`, `http_error`, `frame_timeout`.
   */
  code?: string;
  /** A message fit to show to the viewer; never a stack trace. */
  message: string;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'chartio-token': CustomEvent<ChartioTokenDetail>;
    'chartio-load': CustomEvent<null>;
    'chartio-error': CustomEvent<ChartioErrorDetail>;
  }
}

/**
 * Dispatches a bubbling, composed `CustomEvent` from `target`.
 *
 * @example
 * fire(element, 'chartio-token', { expiresAt: 1700000000, reused: false });
 */
export function fire<K extends 'chartio-token' | 'chartio-load' | 'chartio-error'>(
  target: EventTarget,
  type: K,
  detail: GlobalEventHandlersEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
