/**
 * Small DOM readers the page runtime shares.
 * @module
 */

/**
 * The element with this id, or `null`.
 *
 * @example
 * byId('chartio-loading')?.remove();
 */
export const byId = (id: string): HTMLElement | null => document.getElementById(id);

/**
 * The JSON in the `<script type="application/json">` block with this id (data, never run), or
 * `null` when the page has no such block.
 *
 * @example
 * const config = readJson<PageConfig>(CONFIG_ID);
 */
export function readJson<T>(id: string): T | null {
  const element = byId(id);
  return element ? (JSON.parse(element.textContent ?? 'null') as T) : null;
}

/**
 * The page's root element (`<html>`), which carries the theme, the chosen accent and font.
 *
 * @example
 * root().dataset.theme; // 'dark'
 */
export const root = (): HTMLElement => document.documentElement;
