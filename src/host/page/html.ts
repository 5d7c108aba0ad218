/**
 * Escaping for the host's pages: every title, value and message goes through here on its way
 * into HTML, so data from a dashboard file, a token or a database cannot become markup.
 * @module
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<b>"Q1" & Q2</b>'); // '&lt;b&gt;&quot;Q1&quot; &amp; Q2&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}

/**
 * Serializes `value` as JSON safe inside `<script type="application/json">`: `<` becomes
 * `\u003c` (so no `</script>` or `<!--` can appear), and so do the line separators JavaScript
 * once treated as line ends.
 *
 * @example
 * jsonForScript({ title: '</script><script>alert(1)</script>' });
 * // '{"title":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}'
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
