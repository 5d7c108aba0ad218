/**
 * Downloads: a chart's "Download CSV" button fetches `{page path}/charts/{n}.csv` with the token
 * in the `Authorization` header (never in a URL, where logs would keep it), and saves the answer
 * as a file through a Blob URL; its status sits in a live region beside the button.
 * @module
 */
import { EMBED_TOKEN_PARAM } from '../protocol/claims.js';
import { shown } from './locale.js';

/** What the button's status says when the host's answer names no reason the viewer can act on. */
export const DOWNLOAD_FAILED = 'The download failed. Try again in a moment.';
/** What the button's status says for the host's error codes a viewer can act on. */
export const DOWNLOAD_MESSAGES: Readonly<Record<string, string>> = {
  token_expired: 'This dashboard\u2019s link has expired. Reload the page to download.',
  download_disabled: 'Downloads are turned off for this chart.',
  queue_full: 'The dashboard host is busy. Try again in a moment.',
  revocation_unavailable: 'The dashboard host can\u2019t check this dashboard\u2019s link right now. Try again in a moment.',
};
/** How long the Blob URL outlives the click that saves it, in ms (the browser reads it after the click). */
const BLOB_URL_LIFETIME_MS = 10_000;

const messageOf = (code: unknown): string => (typeof code === 'string' && Object.hasOwn(DOWNLOAD_MESSAGES, code) ? DOWNLOAD_MESSAGES[code]! : DOWNLOAD_FAILED);

/**
 * Saves `blob` as a file named `name`, through a Blob URL and a link the page clicks (inside the
 * frame: its sandbox has `allow-downloads`).
 *
 * @example
 * saveBlob(new Blob(['a,b'], { type: 'text/csv' }), 'orders.csv');
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_LIFETIME_MS);
}

/**
 * Downloads the CSV of the chart whose button this is, unless a download of it is under way.
 *
 * @example
 * save(document.querySelector<HTMLButtonElement>('#chart-2 button.download')!);
 */
export async function save(button: HTMLButtonElement): Promise<void> {
  if (button.getAttribute('aria-busy') === 'true') return;
  const status = button.nextElementSibling!;
  // The figure's id is `chart-{index}`.
  const chart = button.closest('figure.chart')!.id.slice('chart-'.length);
  button.setAttribute('aria-busy', 'true');
  status.textContent = 'Preparing the download\u2026';
  try {
    const token = new URLSearchParams(location.search).get(EMBED_TOKEN_PARAM);
    const response = await fetch(location.pathname.replace(/\/?$/, `/charts/${chart}.csv`), {
      headers: { authorization: `Bearer ${token}` },
      cache: 'no-store',
    });
    if (!response.ok) throw ((await response.json().catch(() => ({}))) as { error?: unknown }).error;
    const name = /filename\*=UTF-8''([^;\s]+)/i.exec(response.headers.get('content-disposition') ?? '')?.[1];
    saveBlob(await response.blob(), name ? decodeURIComponent(name) : 'chart.csv');
    const rows = response.headers.get('chartio-rows');
    status.textContent =
      response.headers.get('chartio-truncated') === 'true' ? `Downloaded the first ${shown('number', Number(rows))} rows, the most a download holds.` : '';
  } catch (error) {
    status.textContent = messageOf((error as { code?: unknown } | undefined)?.code);
  } finally {
    button.removeAttribute('aria-busy');
  }
}
