/**
 * Verifying one embed token: the compact JWS (header, key, signature) and then the claims, in
 * the order jose's `jwtVerify` used, so every refusal keeps its code. What is checked:
 * - the shape: three base64url parts, at most 16,383 characters;
 * - the header: a JSON object, `alg` exactly `HS256`, `ES256` or `EdDSA` (`none`, other HMAC
 *   sizes, RS/PS/ES384… are refused, never honoured), no `crit` (no extension is understood),
 *   `kid` naming a key of the ring (or none: the keys without an id), whose own algorithm `alg`
 *   must be (key confusion: an HS256 token is never checked with a public key's bytes); `jku`,
 *   `x5u`, `x5c` and `jwk` are ignored, never used to find or fetch a key;
 * - the signature, in its one canonical spelling;
 * - the claims: `iat`, `exp`, `env`, `dashboard`, `organization` present; `nbf` and `exp` against
 *   the clock (with tolerance); issued neither over 24 h ago nor in the future; `exp − iat` in
 *   (0, 24 h]; organization and dashboard as expected; `env` already in the protocol's shape.
 * @module
 */
import { MAX_TOKEN_LENGTH, MAX_TTL_SECONDS, canonicalEnvKey, isPositiveId, normalizeEnv, type EmbedClaims, type Env } from '../../protocol/index.js';
import type { KeyRing } from './key-ring.js';
import type { TokenCrypto } from './token-crypto.js';
import { refuse } from './verify-errors.js';

/**
 * Three base64url parts, like the protocol's `isCompactJws`, except that the signature may be
 * empty: an unsigned `alg: none` token must be refused as `token_algorithm` rather than as merely
 * malformed.
 */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Claims every embed token must carry, in the order a missing one is reported. */
const REQUIRED_CLAIMS = ['iat', 'exp', 'env', 'dashboard', 'organization'] as const;

/** What the claims are checked against. */
export interface ClaimChecks {
  readonly organization: number;
  /** When given, the token's `dashboard` must equal it. */
  readonly dashboard: number | undefined;
  /** Seconds of clock skew tolerated on `nbf`, `exp` and `iat`. */
  readonly clockTolerance: number;
  /** The clock, in milliseconds since the epoch. */
  readonly now: () => number;
}

/**
 * Verifies `token` with the ring's keys and resolves to its claims (`env` in canonical key
 * order), or rejects with an `EmbedError` (see the module doc). On `node:crypto` no step waits
 * for anything: the promise is settled by the time the caller's `await` resumes.
 *
 * @example
 * const claims = await verifyToken(NODE_CRYPTO, ring, token, { organization: 16417, dashboard: 38727, clockTolerance: 30, now: Date.now });
 */
export async function verifyToken(crypto: TokenCrypto, ring: KeyRing, token: string, checks: ClaimChecks): Promise<EmbedClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWT.test(token)) throw refuse.malformed();
  const headerEnd = token.indexOf('.');
  const signatureStart = token.lastIndexOf('.') + 1;

  const header = jsonObject(crypto.decodeText(token.slice(0, headerEnd)));
  if (header === undefined || Object.hasOwn(header, 'crit')) throw refuse.badHeader();
  const { alg, kid } = header;
  if (typeof alg !== 'string' || alg === '') throw refuse.badHeader();
  if (alg !== 'HS256' && alg !== 'ES256' && alg !== 'EdDSA') throw refuse.algorithm(alg);
  if (kid !== undefined && typeof kid !== 'string') throw refuse.badHeader();
  // `jku`, `x5u`, `x5c` and `jwk` are never read: a token does not get to say which key checks it.
  let keys = ring.candidates(kid);
  if (keys.length === 0 && kid !== undefined && ring.refresh !== undefined) keys = await ring.refresh(kid);
  if (keys.length === 0) throw refuse.keyUnknown(kid, ring.ids, ring.problem);

  const input = token.slice(0, signatureStart - 1);
  const signature = token.slice(signatureStart);
  let matched = false;
  let algorithmFits = false;
  for (const lazy of keys) {
    // Each key allows its own algorithm only: an HS256 token is never checked against a public key.
    if (lazy.alg !== alg) continue;
    algorithmFits = true;
    const pendingKey = lazy.get();
    const key = pendingKey instanceof Promise ? await pendingKey : pendingKey;
    const verdict = alg === 'HS256' ? crypto.verify(key, input, signature) : crypto.verifyWith(alg, key, input, signature);
    if (verdict === true || (verdict !== false && (await verdict))) {
      matched = true;
      break;
    }
  }
  if (!algorithmFits) throw refuse.algorithmForKey(alg, kid, keys[0]!.alg);
  if (!matched) throw refuse.signature(alg);

  const payload = jsonObject(crypto.decodeText(token.slice(headerEnd + 1, signatureStart - 1)));
  if (payload === undefined) throw refuse.badPayload();
  return checkClaims(payload, checks);
}

/** The claims of a correctly signed token, checked (see the module doc). */
function checkClaims(payload: Record<string, unknown>, checks: ClaimChecks): EmbedClaims {
  for (const claim of REQUIRED_CLAIMS) if (!Object.hasOwn(payload, claim)) throw refuse.missing(claim);
  const now = Math.floor(checks.now() / 1000);
  const tolerance = checks.clockTolerance;
  const { iat, nbf, exp } = payload;
  if (typeof iat !== 'number') throw refuse.notNumericDate('iat');
  if (nbf !== undefined) {
    if (typeof nbf !== 'number') throw refuse.notNumericDate('nbf');
    if (nbf > now + tolerance) throw refuse.notBefore(payload);
  }
  if (typeof exp !== 'number') throw refuse.notNumericDate('exp');
  if (exp <= now - tolerance) throw refuse.expired(payload);
  const age = now - iat;
  if (age - tolerance > MAX_TTL_SECONDS) throw refuse.issuedTooLongAgo(payload);
  if (age < -tolerance) throw refuse.issuedInFuture(payload);

  const organization = payload.organization;
  if (!isPositiveId(organization)) throw refuse.badClaim('organization', 'a positive integer');
  if (organization !== checks.organization) throw refuse.organization(organization, checks.organization);
  const dashboard = payload.dashboard;
  if (!isPositiveId(dashboard)) throw refuse.badClaim('dashboard', 'a positive integer');
  if (checks.dashboard !== undefined && dashboard !== checks.dashboard) throw refuse.dashboard(dashboard, checks.dashboard);
  if (exp - iat > MAX_TTL_SECONDS || exp <= iat) throw refuse.livesTooLong(payload);
  return { organization, dashboard, env: checkEnv(payload.env), iat, exp };
}

/** The env claim must already be in the protocol's shape: normalizing it must change nothing. */
function checkEnv(raw: unknown): Env {
  const normalized = normalizeEnv(raw);
  if (!normalized.ok) throw refuse.env(normalized.problem.message);
  // normalizeEnv turns numbers into strings; a signed token must already carry strings.
  if (raw === undefined || normalized.json !== canonicalEnvKey(raw as Env)) throw refuse.envNotStrings();
  return normalized.env;
}

/** `text` parsed as JSON when it is an object (not an array, not null); else `undefined`. */
function jsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
