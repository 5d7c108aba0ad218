/**
 * The scheme a Node request arrived with, for the token endpoint's origin check and for the URL
 * the Fetch bridge builds: one rule for both.
 * @module
 */
import type { IncomingMessage } from 'node:http';

/**
 * `https` when the socket is TLS or the first `X-Forwarded-Proto` a proxy set says so; else
 * `http`. (Why trusting the header is safe is said where the endpoint uses it: node/request.ts.)
 *
 * @example
 * nodeRequestScheme(req); // 'https' behind a TLS-terminating proxy
 */
export function nodeRequestScheme(req: IncomingMessage): 'http' | 'https' {
  if ((req.socket as { encrypted?: boolean } | null)?.encrypted === true) return 'https';
  const forwarded = req.headers['x-forwarded-proto'];
  if (typeof forwarded === 'string') {
    const comma = forwarded.indexOf(',');
    const first = (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim().toLowerCase();
    if (first === 'https') return 'https';
  }
  return 'http';
}
