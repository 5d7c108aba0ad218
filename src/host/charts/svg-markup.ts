/**
 * Makes ECharts' SVG fit the page: the page's CSP allows no inline style (no `style="…"`
 * attribute, no `<style>` element), so inline styles become presentation attributes and the
 * hover stylesheet goes (the page's own stylesheet has the cursor); ids get a prefix of their
 * own, so several drawings on one page never share a clip path; and each text whose raw value
 * is known gets `data-value` and `data-format`, so the page re-formats it for a viewer's locale
 * like a table cell.
 * @module
 */
import { escapeHtml } from '../page/html.js';

/** A shown text's raw value and format key. */
export interface RawText {
  readonly raw: string;
  readonly key: string;
}

/**
 * The SVG as the page inlines it (see the module's description).
 *
 * @example
 * pageSvg('<svg width="240" …><text style="font-size:12px;">$5</text>…</svg>', 'c0w1', new Map([['$5', { raw: '5', key: 'currency:USD' }]]));
 * // '<svg viewBox="…" aria-hidden="true" focusable="false" …><text font-size="12px" data-value="5" data-format="currency:USD">$5</text>…</svg>'
 */
export function pageSvg(svg: string, prefix: string, texts: ReadonlyMap<string, RawText>): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/\n/g, '')
    .replace(/^<svg width="[^"]*" height="[^"]*"/, '<svg aria-hidden="true" focusable="false"')
    .replace(/ xmlns:xlink="[^"]*" version="1\.1" baseProfile="full"/, '')
    .replace(/ style="([^"]*)"/g, (_, style: string) =>
      style
        .split(';')
        .map((declaration) => declaration.trim())
        .filter(Boolean)
        .map((declaration) => {
          const colon = declaration.indexOf(':');
          return ` ${declaration.slice(0, colon).trim()}="${declaration.slice(colon + 1).trim().replace(/"/g, '&quot;')}"`;
        })
        .join(''),
    )
    .replace(/ ecmeta_ssr_type="chart"/g, '')
    .replace(/\bzr\d+-/g, `${prefix}-`)
    .replace(/<text([^>]*)>([^<]*)<\/text>/g, (whole, attributes: string, text: string) => {
      const known = texts.get(unescape(text));
      return known ? `<text${attributes} data-value="${escapeHtml(known.raw)}" data-format="${escapeHtml(known.key)}">${text}</text>` : whole;
    });
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
