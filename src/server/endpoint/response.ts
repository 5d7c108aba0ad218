/**
 * The token endpoint's answers as plain data (`{ status, headers, body }`), independent of how
 * they are sent: the Fetch handler turns one into a `Response`, the Node adapter writes it to a
 * `ServerResponse` directly. Headers are precomputed once so the hot path allocates no header maps.
 * @module
 */
import type { TokenErrorResponse, TokenResponse } from '../../protocol/index.js';

/** A fixed set of response headers, kept in the two shapes the adapters want. */
export interface HeaderSet {
  /** `{ name: value }`, for `new Response(body, { headers })`. */
  readonly record: Readonly<Record<string, string>>;
  /** `[name, value, name, value, …]`, for `ServerResponse.writeHead(status, flat)`. */
  readonly flat: readonly string[];
}

/** One answer of the endpoint. `body` is JSON text, or empty for a 204 (a CORS preflight). */
export interface EndpointResult {
  readonly status: number;
  readonly headers: HeaderSet;
  readonly body: string;
  /** What the answer is, for metrics: `ok` (a token), `preflight`, or the error code. */
  readonly code: AnswerCode;
  /** For a token: whether it was newly signed or served again from the signer's reuse memo. */
  readonly token?: TokenOutcome | undefined;
}

/** How a token answer came about: newly signed, or served again from the signer's reuse memo. */
export type TokenOutcome = 'signed' | 'reused';

/** The `code` of an answer: `ok` for a token, `preflight` for a CORS preflight, else the error's. */
export type AnswerCode = 'ok' | 'preflight' | EndpointErrorCode;

/** Every error code the endpoint answers with; documented in docs/token-endpoint.md. */
export type EndpointErrorCode =
  | 'method_not_allowed'
  | 'origin_not_allowed'
  | 'unsupported_media_type'
  | 'body_too_large'
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthenticated'
  | 'dashboard_not_allowed'
  | 'filter_not_allowed'
  | 'filter_locked'
  | 'invalid_filter_value'
  | 'internal_error';

/**
 * Freezes a header record into a {@link HeaderSet}.
 *
 * @example
 * headerSet({ 'cache-control': 'no-store' }).flat; // ['cache-control', 'no-store']
 */
export function headerSet(record: Record<string, string>): HeaderSet {
  return Object.freeze({ record: Object.freeze(record), flat: Object.freeze(Object.entries(record).flat()) });
}

// `no-store` on every answer, errors included: a token is a credential, and an error answer
// cached by a proxy would hide the next, valid one. `nosniff` keeps browsers from guessing types.
const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** The headers of every JSON answer. */
export const JSON_HEADERS: HeaderSet = headerSet({ ...BASE_HEADERS });

/** The headers of the 405 answer: RFC 9110 §15.5.6 requires `Allow`. */
export const METHOD_NOT_ALLOWED_HEADERS: HeaderSet = headerSet({ ...BASE_HEADERS, allow: 'POST' });

/** The same, for an endpoint that answers CORS preflights. */
export const METHOD_NOT_ALLOWED_CORS_HEADERS: HeaderSet = headerSet({ ...BASE_HEADERS, allow: 'POST, OPTIONS' });

/**
 * Builds an error answer `{"error":{"code","message"}}`.
 *
 * @example
 * errorResult(403, 'dashboard_not_allowed', 'Dashboard 7 is not on this endpoint\'s allowlist.');
 */
export function errorResult(
  status: number,
  code: EndpointErrorCode,
  message: string,
  headers: HeaderSet = JSON_HEADERS,
): EndpointResult {
  const payload: TokenErrorResponse = { error: { code, message } };
  return { status, headers, body: JSON.stringify(payload), code };
}

/**
 * Builds the 200 answer `{"token","expiresAt","url"}` from what the signer returned, copying
 * only the documented fields so nothing else a signer might add leaks into the answer. `reused`
 * says whether the signer served it from its reuse memo (`undefined`: not known).
 *
 * @example
 * tokenResult(await signer.sign({ dashboard: 38727, env }), false);
 */
export function tokenResult(response: TokenResponse, reused: boolean | undefined): EndpointResult {
  const { token, expiresAt, url } = response;
  return { status: 200, headers: JSON_HEADERS, body: tokenJson(token, expiresAt, url), code: 'ok', token: reused === undefined ? undefined : reused ? 'reused' : 'signed' };
}

/** Text JSON carries between quotes as it is: printable ASCII but `"` and `\`. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify({ token, expiresAt, url })`, written by hand when nothing needs escaping (a
 * token is base64url and dots; an embed URL almost always plain ASCII): `JSON.stringify` of that
 * object flattens and copies both long strings into a growing buffer, about 2 KB per answer.
 * Anything else (a signer of the application's own making may return any text) goes through
 * `JSON.stringify`, so the bytes are the same either way.
 */
function tokenJson(token: string, expiresAt: number, url: string | undefined): string {
  const plain =
    Number.isSafeInteger(expiresAt) &&
    typeof token === 'string' &&
    PLAIN_JSON_TEXT.test(token) &&
    (url === undefined || (typeof url === 'string' && PLAIN_JSON_TEXT.test(url)));
  if (!plain) return JSON.stringify(url === undefined ? { token, expiresAt } : { token, expiresAt, url });
  return url === undefined ? `{"token":"${token}","expiresAt":${expiresAt}}` : `{"token":"${token}","expiresAt":${expiresAt},"url":"${url}"}`;
}

// Answers whose text never varies are built once.

/** 405: anything but POST. */
export const METHOD_NOT_ALLOWED = errorResult(
  405,
  'method_not_allowed',
  'Use POST with a JSON body {"dashboard": <id>, "filters": {…}} to get an embed token.',
  METHOD_NOT_ALLOWED_HEADERS,
);

/** 405 for an endpoint with `allowedOrigins`, where `OPTIONS` (a CORS preflight) is answered too. */
export const METHOD_NOT_ALLOWED_CORS = errorResult(
  405,
  'method_not_allowed',
  'Use POST with a JSON body {"dashboard": <id>, "filters": {…}} to get an embed token (OPTIONS answers CORS preflights).',
  METHOD_NOT_ALLOWED_CORS_HEADERS,
);

/** 415: a body that is not `application/json`. */
export const UNSUPPORTED_MEDIA_TYPE = errorResult(
  415,
  'unsupported_media_type',
  'Send the body as JSON with the header "Content-Type: application/json" (charset, if given, must be utf-8).',
);

/** 401: `lockedEnv` found no session. */
export const UNAUTHENTICATED = errorResult(
  401,
  'unauthenticated',
  'No session: sign in to the application before asking for an embed token.',
);

/** 500: anything unexpected; the detail goes to `onError`, never to the client. */
export const INTERNAL_ERROR = errorResult(
  500,
  'internal_error',
  'The embed token could not be issued because of a server error; the details were logged on the server.',
);

/**
 * The 413 answer for a bound of `limit` bytes.
 *
 * @example
 * bodyTooLarge(16_384).status; // 413
 */
export function bodyTooLarge(limit: number): EndpointResult {
  return errorResult(413, 'body_too_large', `The request body is larger than this endpoint's limit of ${limit} bytes.`);
}

/**
 * Shortens a name or value taken from the request before it goes into a message: at most
 * 40 characters, printable ASCII only, so an answer can never carry a huge or binary echo.
 *
 * @example
 * printable('ACCT_ID'); // 'ACCT_ID'
 */
export function printable(text: string): string {
  const clipped = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return clipped.replace(/[^\x20-\x7e…]/g, '?');
}
