/**
 * The token endpoint accepts `application/json` only, optionally with `charset=utf-8`.
 * @module
 */

/**
 * Tells whether a `Content-Type` value is JSON the endpoint can read: the media type
 * `application/json` (any case), and a charset parameter, if any, of UTF-8 (RFC 8259 §8.1: JSON
 * exchanged between systems is UTF-8). Other parameters are ignored.
 *
 * @example
 * isJsonContentType('application/json; charset=utf-8'); // true
 * isJsonContentType('text/plain'); // false
 */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  // The common exact forms skip the parsing below.
  if (value === 'application/json' || value === 'application/json; charset=utf-8') return true;
  const parts = value.split(';');
  if ((parts[0] as string).trim().toLowerCase() !== 'application/json') return false;
  for (let i = 1; i < parts.length; i++) {
    const parameter = parts[i] as string;
    const equals = parameter.indexOf('=');
    if (equals === -1) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const charset = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}
