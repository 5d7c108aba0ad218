/**
 * Print (`chartio:print`, docs/frame-protocol.md): the element's `print()` asks the page, which
 * opens the browser's print dialog for its own document (the frame's, not the embedding page's),
 * where "Save as PDF" gives a PDF. The print stylesheet (src/host/page/print-style.ts) keeps each
 * chart on one page, prints light colours in any theme and leaves the buttons out.
 * @module
 */

/**
 * Opens the print dialog. `window.print` is looked up at each call, not kept: a test replaces it
 * to see the call (a real one opens a dialog in a headed browser).
 *
 * @example
 * printDashboard();
 */
export function printDashboard(): void {
  window.print();
}
