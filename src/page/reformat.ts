/**
 * The page's side of the formats contract (src/host/page/format-value.ts): re-formats a
 * dashboard's values for another locale with `Intl`, from the raw values and the dictionary the
 * server rendered, with no request and no query.
 * @module
 */
import type { IntlFormat } from '../protocol/page-markup.js';

/**
 * Re-formats, under `where` (the document, or a `<main>` just fetched), every element with
 * `data-value` and `data-format` by the dictionary in its holder's `data-formats`, and records
 * the locale in `data-locale`. `locale` undefined means the browser's own. An invalid locale
 * throws a `RangeError` before anything changes. Empty cells (no `data-value`) and text shown
 * as is are left alone.
 *
 * @example
 * reformat(document, 'de-DE'); // "$1,234.50" becomes "1.234,50 $", "Feb 11, 2015" "11.02.2015"
 */
export function reformat(where: ParentNode, locale: string | undefined): void {
  const [canonical] = Intl.getCanonicalLocales(locale);
  for (const holder of where.querySelectorAll<HTMLElement>('[data-formats]')) {
    const formats = JSON.parse(holder.dataset.formats!) as Record<string, IntlFormat>;
    const made = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
    for (const element of holder.querySelectorAll<HTMLElement>('[data-value][data-format]')) {
      const key = element.dataset.format!;
      const entry = formats[key];
      if (!entry) continue;
      let formatter = made.get(key);
      if (!formatter) {
        formatter = entry.kind === 'date' ? new Intl.DateTimeFormat(canonical, entry.options) : new Intl.NumberFormat(canonical, entry.options);
        made.set(key, formatter);
      }
      const raw = element.dataset.value!;
      // Intl.NumberFormat takes the decimal text itself (ES2023), so no digit is lost to a double;
      // the ES2022 typings know only numbers.
      element.textContent =
        formatter instanceof Intl.DateTimeFormat ? formatter.format(new Date(raw)) : formatter.format(raw as unknown as number);
    }
    holder.dataset.locale = canonical ?? new Intl.NumberFormat().resolvedOptions().locale;
  }
}
