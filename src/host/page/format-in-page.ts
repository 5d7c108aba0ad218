/**
 * The page's side of the formats contract (format-value.ts): a function, as JavaScript source,
 * that re-formats every formatted value of a dashboard for another locale with `Intl`, from the
 * raw values and the dictionary the server rendered, with no request and no query. The page
 * script embeds it (it is constant, so the page's CSP hash covers it) and calls it with the
 * locale the embedding page asks for.
 * @module
 */

/**
 * `(root, locale) => void`: re-formats, under `root` (the document, or a `<main>` just fetched),
 * every element with `data-value` and `data-format` by the dictionary in `data-formats`, and
 * records the locale in `data-locale`. `locale` undefined means the browser's own. An invalid
 * locale throws a `RangeError` before anything changes. Empty cells (no `data-value`) and text shown as is are left alone.
 *
 * @example
 * // in the page script:
 * const reformat = ${REFORMAT_SOURCE};
 * reformat(document, 'de-DE'); // "$1,234.50" becomes "1.234,50 $", "Feb 11, 2015" "11.02.2015"
 */
export const REFORMAT_SOURCE = `(root, locale) => {
  const [canonical] = Intl.getCanonicalLocales(locale);
  for (const holder of root.querySelectorAll("[data-formats]")) {
    const formats = JSON.parse(holder.dataset.formats);
    const made = new Map();
    for (const el of holder.querySelectorAll("[data-value][data-format]")) {
      const key = el.dataset.format;
      const entry = formats[key];
      if (!entry) continue;
      let formatter = made.get(key);
      if (!formatter) {
        formatter = entry.kind === "date" ? new Intl.DateTimeFormat(canonical, entry.options) : new Intl.NumberFormat(canonical, entry.options);
        made.set(key, formatter);
      }
      el.textContent = formatter.format(entry.kind === "date" ? new Date(el.dataset.value) : el.dataset.value);
    }
    holder.dataset.locale = canonical ?? new Intl.NumberFormat().resolvedOptions().locale;
  }
}`;
