/**
 * "Updated 3 minutes ago" under the dashboard's title: when the shown data was read (the host's
 * `chartio-data-time` block, then each in-place answer's `dataTime`), in the viewer's locale
 * (`Intl.RelativeTimeFormat`), kept current by a timer that ticks as often as the wording can
 * change (every 10 s within the first minute, then every minute).
 * @module
 */
import { DATA_TIME_ID, UPDATED_ID } from '../protocol/page-markup.js';
import { byId, readJson } from './dom.js';
import { currentLocale } from './locale.js';

let dataTime = Date.parse(readJson<string>(DATA_TIME_ID) ?? '');
let ticking: ReturnType<typeof setTimeout> | undefined;

/** The shown data's time, ISO 8601, or undefined when the page has none (an error page, an older host). */
export const shownDataTime = (): string | undefined => (dataTime > 0 ? new Date(dataTime).toISOString() : undefined);

/** The shown data's time in milliseconds since the epoch (NaN when unknown). */
export const shownDataMs = (): number => dataTime;

/**
 * Shows data read at `iso` (after an in-place swap), and says so.
 *
 * @example
 * setDataTime('2026-12-07T20:00:00.000Z');
 */
export function setDataTime(iso: unknown): void {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (ms > 0) dataTime = ms;
  showUpdated();
}

/** The largest unit in which `seconds` is at least 1, as RelativeTimeFormat takes it. */
function relative(seconds: number): [number, Intl.RelativeTimeFormatUnit] {
  for (const [unit, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60]] as const) {
    if (seconds >= size) return [-Math.floor(seconds / size), unit];
  }
  return [-Math.max(0, Math.floor(seconds)), 'second'];
}

/**
 * Writes (or rewrites) the line under the dashboard's title, and schedules its next change.
 * Nothing on a page without a data time or without a title (an error page).
 *
 * @example
 * showUpdated(); // <p id="chartio-updated">Updated <time datetime="…">3 minutes ago</time></p>
 */
export function showUpdated(): void {
  clearTimeout(ticking);
  const title = document.querySelector('main > h1');
  if (!(dataTime > 0) || !title) return;
  const seconds = (Date.now() - dataTime) / 1000;
  const locale = currentLocale();
  const [value, unit] = relative(seconds);
  const words = seconds < 10 ? new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second') : new Intl.RelativeTimeFormat(locale).format(value, unit);
  let line = byId(UPDATED_ID);
  if (!line || line.previousElementSibling !== title) {
    line?.remove();
    line = Object.assign(document.createElement('p'), { id: UPDATED_ID, className: 'updated' });
    title.after(line);
  }
  const time = Object.assign(document.createElement('time'), { dateTime: new Date(dataTime).toISOString(), textContent: words });
  time.title = new Date(dataTime).toLocaleString(locale);
  // "Updated" in English only: other locales get the relative time alone, which reads on its own.
  line.replaceChildren(...(locale.startsWith('en') ? ['Updated ', time] : [time]));
  ticking = setTimeout(showUpdated, seconds < 60 ? 10_000 : 60_000);
}
