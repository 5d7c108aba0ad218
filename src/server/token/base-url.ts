/**
 * The signer's `baseUrl` option: where a dashboard is served, from which the iframe URL
 * `{base}/?embed_token={token}` is built. Checked once at construction when it is a template,
 * and on every use when it is a function.
 * @module
 */
import { EmbedError } from '../errors.js';

/** The placeholder a `baseUrl` template carries for the dashboard id. */
export const DASHBOARD_PLACEHOLDER = '{dashboard}';

/** Turns a dashboard id into its base URL (already checked). */
export type BaseUrlOf = (dashboard: number) => string;

/**
 * Checks a `baseUrl` option and returns a function from dashboard id to base URL, or
 * `undefined` when no option was given. A template must contain `{dashboard}` (a signer signs
 * for many dashboards, and a fixed URL would send all of them to one) and be an absolute
 * http(s) URL without credentials, query or fragment (the token goes in the query). A
 * function's answers are checked the same way each time. Throws `EmbedError('invalid_base_url')`.
 *
 * @example
 * const baseUrlOf = compileBaseUrl('https://dash.example.com/d/{dashboard}');
 * baseUrlOf?.(38727); // 'https://dash.example.com/d/38727'
 */
export function compileBaseUrl(option: unknown): BaseUrlOf | undefined {
  if (option === undefined) return undefined;
  if (typeof option === 'function') {
    return (dashboard) => {
      let base: unknown;
      try {
        base = option(dashboard);
      } catch (cause) {
        throw new EmbedError('invalid_base_url', `baseUrl(${dashboard}) threw: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      if (typeof base !== 'string') throw new EmbedError('invalid_base_url', `baseUrl(${dashboard}) must return a URL string, got ${typeof base}`);
      return checkBaseUrl(base, `baseUrl(${dashboard})`);
    };
  }
  if (typeof option !== 'string') {
    throw new EmbedError('invalid_base_url', `baseUrl must be a URL template like "https://dash.example.com/d/${DASHBOARD_PLACEHOLDER}" or a function of the dashboard id, got ${typeof option}`);
  }
  if (!option.includes(DASHBOARD_PLACEHOLDER)) {
    throw new EmbedError('invalid_base_url', `baseUrl must contain ${DASHBOARD_PLACEHOLDER} where the dashboard id goes, e.g. "https://dash.example.com/d/${DASHBOARD_PLACEHOLDER}"`);
  }
  const template = option;
  // Any positive integer in place of the placeholder keeps the URL's shape, so one check suffices.
  checkBaseUrl(template.replaceAll(DASHBOARD_PLACEHOLDER, '1'), 'baseUrl');
  return (dashboard) => template.replaceAll(DASHBOARD_PLACEHOLDER, String(dashboard));
}

function checkBaseUrl(base: string, label: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new EmbedError('invalid_base_url', `${label} is not an absolute URL; write it like "https://dash.example.com/d/${DASHBOARD_PLACEHOLDER}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EmbedError('invalid_base_url', `${label} must be an http(s) URL, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new EmbedError('invalid_base_url', `${label} must not carry a user name or password`);
  if (url.search || url.hash || base.includes('?') || base.includes('#')) {
    throw new EmbedError('invalid_base_url', `${label} must not have a query or fragment: the token is added as ?embed_token=`);
  }
  return base;
}
