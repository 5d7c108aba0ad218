/**
 * What the host's page markup (src/host/page) and the page runtime (src/page) agree on: the ids
 * of the elements the runtime finds, the locale the server renders in, and the formats' dictionary. Not part of the frame protocol (an embedding page never sees these); it
 * lives here because both sides import it and src/protocol is the only folder both may import.
 * @module
 */

/** The id of the Loading element a new token's page shows while its queries run. */
export const LOADING_ID = 'chartio-loading';
/** The id of the Loading indicator shown over the charts while a new token's data is fetched in place. */
export const UPDATING_ID = 'chartio-updating';
/** The id of the JSON block with the page's settings ({@link PageConfig}). */
export const CONFIG_ID = 'chartio-config';
/** The id of the JSON block a page body once carried its charts' data in (now always `[]`: the host draws the charts). */
export const CHARTS_ID = 'chartio-charts';
/** The id of the live region that reads out the chart point the keyboard is on. */
export const POINT_STATUS_ID = 'chartio-point';

/** The id of the "Updated 3 minutes ago" line the page runtime keeps under the dashboard's title. */
export const UPDATED_ID = 'chartio-updated';
/**
 * The id of the JSON block (an ISO 8601 string) that says when the page's data was read: what
 * "Updated … ago" counts from and what `chartio:ready` reports as `dataTime`.
 */
export const DATA_TIME_ID = 'chartio-data-time';

/** The locale of the server's own rendering, before the page applies a viewer's. */
export const DEFAULT_LOCALE = 'en-US';

/** How long an in-place update may take before the page shows its Loading indicator, in ms. */
export const UPDATING_DELAY_MS = 100;

/** The page's settings, in the `CONFIG_ID` block (absent on an error page rendered without them). */
export interface PageConfig {
  /** The only origins the page posts to and accepts messages from. */
  parentOrigins: string[];
  /**
   * The dashboard's max age in seconds (absent: `"exp"`): a page shown with older data asks the
   * data route for the newer data the host's background run makes.
   */
  maxAge?: number;
}

/** One entry of a page's formats dictionary (`data-formats`): how `Intl` shows a format key. */
export interface IntlFormat {
  readonly kind: 'number' | 'date';
  readonly options: Intl.NumberFormatOptions & Intl.DateTimeFormatOptions;
}
