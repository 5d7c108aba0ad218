/**
 * The locale the page shows numbers and dates in (the server's until the parent asks for another)
 * and the values shown in it: the page's re-formatting and the charts' ticks, tooltips and the
 * keyboard's read-out all go through here.
 * @module
 */
import { DEFAULT_LOCALE, type IntlFormat } from '../protocol/page-markup.js';
import { reformat } from './reformat.js';

let current = DEFAULT_LOCALE;

/**
 * The locale the page's values are shown in now.
 *
 * @example
 * currentLocale(); // 'en-US' until setLocale('de-DE')
 */
export const currentLocale = (): string => current;

/**
 * Re-formats every formatted value under `where` (the page, or a dashboard fetched in place) for
 * `wanted`; on the page itself, `wanted` becomes the current locale. An invalid locale (the look
 * has checked it already) leaves everything as it is.
 *
 * @example
 * setLocale('de-DE'); // the page now reads "1.234,50 $"
 * setLocale(currentLocale(), fetched.content); // a fetched dashboard, before it is shown
 */
export function setLocale(wanted: string, where: ParentNode = document): void {
  try {
    reformat(where, wanted);
    if (where === document) current = wanted;
  } catch {
    // An invalid locale: the page stays as it is.
  }
}

// Intl formatters by locale and format key, from the dictionary the server rendered (data-formats).
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function formatterOf(key: string): Intl.NumberFormat | Intl.DateTimeFormat {
  const id = `${current} ${key}`;
  let made = formatters.get(id);
  if (!made) {
    let entry: IntlFormat | undefined;
    try {
      entry = (JSON.parse(document.querySelector<HTMLElement>('[data-formats]')?.dataset.formats ?? '{}') as Record<string, IntlFormat>)[key];
    } catch {
      // A dictionary that does not parse: plain numbers.
    }
    made = entry?.kind === 'date' ? new Intl.DateTimeFormat(current, entry.options) : new Intl.NumberFormat(current, entry?.options ?? { maximumFractionDigits: 2 });
    formatters.set(id, made);
  }
  return made;
}

/**
 * A raw value as the viewer reads it, by its format key, in the current locale; an em dash for
 * an empty value.
 *
 * @example
 * shown('usd', 1234.5); // '$1,234.50'
 * shown('number', null); // '—'
 */
export function shown(key: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\u2014';
  const formatter = formatterOf(key);
  return formatter instanceof Intl.DateTimeFormat ? formatter.format(new Date(value)) : formatter.format(value as number);
}
