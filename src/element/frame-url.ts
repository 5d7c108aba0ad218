/**
 * URLs the element uses: the token endpoint's, and those it loads into its iframe.
 * @module
 */

/** Loopback hosts, where plain `http:` is allowed (development, tests). */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * `value` resolved against the page (relative URLs allowed), or `undefined` when it does not parse.
 *
 * @example
 * pageUrl('/embed-token')?.href; // 'https://app.example.com/embed-token'
 */
export function pageUrl(value: string): URL | undefined {
  try {
    return new URL(value, location.href);
  } catch {
    return undefined;
  }
}

/**
 * `value` resolved against the page, when it may be loaded in the iframe: `https:`, or `http:`
 * on loopback only (`localhost`, 127.0.0.0/8, `[::1]`); `undefined` otherwise (`javascript:`,
 * `data:`, plain `http:` elsewhere, unparsable). The token travels in this URL: it must not
 * cross a network in clear text.
 *
 * @example
 * frameUrl('https://dashboards.example.com/d/38727'); // 'https://dashboards.example.com/d/38727'
 * frameUrl('http://example.com/d/1'); // undefined
 */
export function frameUrl(value: string): string | undefined {
  const url = pageUrl(value);
  if (url?.protocol == 'https:' || (url?.protocol == 'http:' && LOOPBACK.test(url.hostname))) return url.href;
  return undefined;
}
