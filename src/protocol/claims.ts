/**
 * The token's payload and the shapes both sides recognize.
 * @module
 */
import type { Env } from './env.js';
import { MAX_TOKEN_LENGTH } from './limits.js';

/** The claims of an embed token, as signed and as verified. */
export interface EmbedClaims {
  /** The organization id (a positive integer). */
  organization: number;
  /** The dashboard id (a positive integer). */
  dashboard: number;
  /** The Hidden Variables' values. */
  env: Env;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
}

/** The token endpoint's success answer: `{"token","expiresAt","url"}`. */
export interface TokenResponse {
  /** The signed embed token (a JWT). */
  token: string;
  /** The token's `exp`, seconds since the epoch. */
  expiresAt: number;
  /** `{base}/?embed_token={token}` when the server knows the dashboard's base URL. */
  url?: string;
}

/** The token endpoint's error answer: `{"error":{"code","message"}}`. */
export interface TokenErrorResponse {
  error: { code: string; message: string };
}

/** The query parameter the dashboard host reads the token from. */
export const EMBED_TOKEN_PARAM = 'embed_token';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Tells whether `value` has the shape of a compact JWS (three base64url parts).
 * A shape check only: it proves nothing about the signature.
 *
 * @example
 * isCompactJws('eyJhbGciOi.eyJvcmdh.c2ln'); // true
 * isCompactJws('<html>'); // false
 */
export function isCompactJws(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(value);
}

/**
 * Tells whether `value` is a positive safe integer (organization and dashboard ids).
 *
 * @example
 * isPositiveId(38727); // true
 * isPositiveId('38727'); // false
 */
export function isPositiveId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * Builds `{base}/?embed_token={token}` with the URL API, keeping any path and other query
 * parameters in `base` and replacing an `embed_token` already there.
 *
 * @example
 * embedUrl('https://dash.example.com/d/38727', 'a.b.c');
 * // 'https://dash.example.com/d/38727/?embed_token=a.b.c'
 */
export function embedUrl(base: string, token: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.searchParams.set(EMBED_TOKEN_PARAM, token);
  return url.toString();
}
