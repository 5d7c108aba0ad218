/**
 * A `Response` with a complete body in memory (a cached page, an error page, a JSON answer) that
 * costs almost nothing to make on Node 20: the server's light response (server/raw-response.ts),
 * which `toNodeHandler` writes in one `writeHead` and `end`, given the host's header pairs.
 * @module
 */
import { rawResponse } from '../node-http.js';

/**
 * Makes a response carrying `body` (UTF-8 when a string).
 *
 * @example
 * return bytesResponse(200, [['content-type', 'text/html; charset=utf-8']], page.bytes);
 */
export function bytesResponse(status: number, headers: readonly (readonly [string, string])[], body: Uint8Array | string): Response {
  return rawResponse({ status, headers: headers.flat(), body });
}
