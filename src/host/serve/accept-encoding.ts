/**
 * Whether a request's `Accept-Encoding` allows brotli (`br`), as RFC 9110 §12.5.3 reads it: the
 * coding named, or `*`, with a weight above zero (`br;q=0` refuses it).
 * @module
 */

/**
 * Tells whether `header` (the request's `Accept-Encoding`, `null` when absent) accepts brotli.
 *
 * @example
 * acceptsBrotli('gzip, deflate, br, zstd'); // true
 * acceptsBrotli('br;q=0, gzip'); // false
 * acceptsBrotli(null); // false
 */
export function acceptsBrotli(header: string | null): boolean {
  if (!header) return false;
  let star = false;
  for (const item of header.split(',')) {
    const [coding = '', ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    const weight = params.find((param) => param.startsWith('q='));
    const accepted = weight === undefined || Number(weight.slice(2)) > 0;
    if (coding === 'br') return accepted;
    if (coding === '*') star = accepted;
  }
  return star;
}
