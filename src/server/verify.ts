/**
 * `verifyEmbedToken`: what a dashboard host runs on every `?embed_token=`. HS256 only, with the
 * organization's secret; `exp` and `iat` required, lifetime at most 24 h; organization,
 * dashboard and the `env` shape checked. Every failure is an `EmbedError` with a stable code.
 * @module
 */
import { base64url, jwtVerify, type CryptoKey } from 'jose';
import {
  MAX_TOKEN_LENGTH,
  MAX_TTL_SECONDS,
  canonicalEnvKey,
  isPositiveId,
  normalizeEnv,
  type EmbedClaims,
  type Env,
} from '../protocol/index.js';
import { EmbedError } from './errors.js';
import { verificationKey } from './token/secret.js';
import type { VerifyOptions } from './types.js';
import { fromJoseError, timeOf } from './token/verify-errors.js';

/** Default tolerated clock skew between the signing server and the host, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;


/**
 * Three base64url parts, like the protocol's `isCompactJws`, except that the signature may be
 * empty: an unsigned `alg: none` token must be refused as `token_algorithm`, which jose does
 * from its header, rather than as merely malformed.
 */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Claims every embed token must carry; jose reports the first one missing. */
const REQUIRED_CLAIMS = ['organization', 'dashboard', 'env', 'iat', 'exp'];

/**
 * Verifies an embed token and resolves to its claims (`env` in canonical key order), or rejects
 * with an `EmbedError`: `token_malformed`, `token_algorithm` (anything but HS256 in the header,
 * `none` included), `token_signature`, `token_expired`, `token_lifetime` (`exp − iat` over 24 h,
 * or issued over 24 h ago), `token_claims` (a claim missing or of the wrong shape, `iat` in the
 * future), `token_organization`, `token_dashboard` (when `dashboard` is given). The secret may be
 * a string, bytes or an imported `CryptoKey`; strings and bytes are imported once and cached.
 *
 * @example
 * // In the dashboard host, for GET /d/38727/?embed_token=…
 * try {
 *   const claims = await verifyEmbedToken(url.searchParams.get('embed_token') ?? '', {
 *     secret: process.env.CHARTIO_EMBED_SECRET!,
 *     organization: 16417,
 *     dashboard: 38727,
 *   });
 *   render(claims.dashboard, claims.env); // env: { ACCT_ID: '1', DATE_RANGE: [...] }
 * } catch (error) {
 *   if (error instanceof EmbedError) respond(401, `${error.code}: ${error.message}`);
 *   else throw error;
 * }
 */
export async function verifyEmbedToken(token: string, options: VerifyOptions): Promise<EmbedClaims> {
  const { organization, dashboard, clockTolerance, now } = checkOptions(options);
  const key: CryptoKey = await verificationKey(options.secret);
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWT.test(token)) {
    throw new EmbedError('token_malformed', 'the token is not a compact JWT (three base64url parts joined by dots); pass the embed_token exactly as it was signed');
  }

  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      requiredClaims: REQUIRED_CLAIMS,
      maxTokenAge: MAX_TTL_SECONDS,
      clockTolerance,
      currentDate: new Date(now()),
    }));
  } catch (error) {
    throw fromJoseError(error, token);
  }
  checkCanonicalSignature(token);

  // jose has checked that iat and exp are numbers, exp is in the future and iat is neither in
  // the future nor over 24 h ago; what remains is ours.
  const claimedOrganization = payload.organization;
  if (!isPositiveId(claimedOrganization)) throw badClaim('organization', 'a positive integer');
  if (claimedOrganization !== organization) {
    throw new EmbedError('token_organization', `the token is for organization ${claimedOrganization}, not ${organization}; sign it with this organization's id and Embed Secret`);
  }
  const claimedDashboard = payload.dashboard;
  if (!isPositiveId(claimedDashboard)) throw badClaim('dashboard', 'a positive integer');
  if (dashboard !== undefined && claimedDashboard !== dashboard) {
    throw new EmbedError('token_dashboard', `the token is for dashboard ${claimedDashboard}, not ${dashboard}; sign a token for dashboard ${dashboard}`);
  }
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (exp - iat > MAX_TTL_SECONDS || exp <= iat) {
    throw new EmbedError('token_lifetime', `the token runs from ${timeOf(payload, 'iat')} to ${timeOf(payload, 'exp')}; embed tokens live more than 0 s and at most 24 hours, so sign one with a ttl of at most 86400`);
  }
  return { organization, dashboard: claimedDashboard, env: checkEnv(payload.env), iat, exp };
}

/** Options come from the host's own code: a mistake there is a `TypeError` or an id error. */
function checkOptions(options: VerifyOptions): { organization: number; dashboard: number | undefined; clockTolerance: number; now: () => number } {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('verifyEmbedToken takes (token, { secret, organization, dashboard?, clockTolerance?, now? })');
  }
  const { organization, dashboard, clockTolerance = DEFAULT_CLOCK_TOLERANCE_SECONDS, now = Date.now } = options;
  if (!isPositiveId(organization)) {
    throw new EmbedError('invalid_organization', `organization must be a positive integer (the organization id the host serves), got ${String(organization)}`);
  }
  if (dashboard !== undefined && !isPositiveId(dashboard)) {
    throw new EmbedError('invalid_dashboard', `dashboard must be a positive integer (the dashboard being served), got ${String(dashboard)}`);
  }
  if (typeof clockTolerance !== 'number' || !Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new TypeError('clockTolerance must be a non-negative number of seconds');
  }
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
  return { organization, dashboard, clockTolerance, now };
}

/**
 * Called once jose has accepted the signature's bytes: its text must also be their one
 * canonical encoding. Base64url's last character carries 4 unused bits that a lenient decoder
 * (Node 20's `atob`, which jose falls back to) ignores, so without this check a token with its
 * last character changed would still verify: a second string for the same token, which would
 * defeat any cache keyed by token text, and "any changed byte is refused" would not hold.
 */
function checkCanonicalSignature(token: string): void {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  if (base64url.encode(base64url.decode(signature)) !== signature) {
    throw new EmbedError('token_signature', 'the token\'s signature is not in canonical form (changed after signing?); pass the embed_token exactly as it was signed, or sign a new one');
  }
}

/** The env claim must already be in the protocol's shape: normalizing it must change nothing. */
function checkEnv(raw: unknown): Env {
  const normalized = normalizeEnv(raw);
  if (!normalized.ok) throw new EmbedError('token_claims', `the token's env claim is not valid: ${normalized.problem.message}`);
  // normalizeEnv turns numbers into strings; a signed token must already carry strings.
  if (raw === undefined || normalized.json !== canonicalEnvKey(raw as Env)) {
    throw new EmbedError('token_claims', 'the token\'s env claim must map Hidden Variable names to strings or lists of strings (numbers must be signed as strings)');
  }
  return normalized.env;
}

function badClaim(claim: string, shape: string): EmbedError {
  return new EmbedError('token_claims', `the token's "${claim}" claim must be ${shape}`);
}
