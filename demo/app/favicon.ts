/**
 * The demo's favicon, shared by every demo page: a small bar chart, written into each page as a
 * data URL, so no page asks the server for `/favicon.ico` (a 404 in the console of every page).
 * @module
 */

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d2430"/><rect x="7" y="16" width="5" height="9" rx="1" fill="#4aa3df"/><rect x="14" y="10" width="5" height="15" rx="1" fill="#7fc97f"/><rect x="21" y="6" width="5" height="19" rx="1" fill="#f4b350"/></svg>`;

/**
 * The `<link>` element for a page's head.
 * @example
 * `<head>${FAVICON_LINK}…</head>`
 */
export const FAVICON_LINK = `<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,${encodeURIComponent(ICON)}">`;
