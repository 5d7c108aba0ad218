/**
 * The signer behind `createEmbedSigner`, written once over a {@link TokenCrypto}: the public
 * modules bind it to Web Crypto (signer.ts) and to `node:crypto` (node/index.ts). The token is
 * built by hand (a fixed header, claims in a fixed order, env keys sorted) so that equal payloads
 * give equal bytes, in every language that follows docs/token-endpoint.md.
 * @module
 */
import { MAX_TTL_SECONDS, MIN_TTL_SECONDS, embedUrl, isPositiveId, normalizeEnv, type Env } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { EmbedSigner, EmbedSignerOptions, SignInput, TokenResponse } from '../types.js';
import { compileBaseUrl, type BaseUrlOf } from './base-url.js';
import { checkKeyId } from './key-ring.js';
import { LazyKey } from './lazy-key.js';
import { ReuseMemo } from './reuse-memo.js';
import { issuedAt } from './reuse-window.js';
import { checkPrivateKey, type TokenAlgorithm } from './key-pem.js';
import { secretBytes } from './secret.js';
import { SIGN_NORMALIZED, type NormalizedSignInput, type SignerInternals, type SignOutcome } from './sign-normalized.js';
import type { TokenCrypto } from './token-crypto.js';

/** How many base URLs' prefixes a signer keeps (a template gives one per dashboard). */
const URL_PREFIXES_KEPT = 256;

/**
 * The header's JSON: keys sorted (`alg`, `kid`, `typ`), as PyJWT writes them by default and as
 * the other languages are told to, so a token with a key id is the same bytes everywhere too.
 */
function headerJson(alg: TokenAlgorithm, kid: string | undefined): string {
  return kid === undefined ? `{"alg":"${alg}","typ":"JWT"}` : `{"alg":"${alg}","kid":"${kid}","typ":"JWT"}`;
}

/**
 * The signer's key: the HS256 secret, or the private key of a pair (ES256, EdDSA), whichever the
 * options give (exactly one). A private key needs a `kid`: hosts pick the public key by it.
 */
function signingKey(crypto: TokenCrypto, options: EmbedSignerOptions): LazyKey {
  const { secret, privateKey } = options;
  if (privateKey === undefined) return new LazyKey(crypto, secretBytes(secret), 'sign');
  if (secret !== undefined) throw new TypeError('createEmbedSigner takes secret (HS256) or privateKey (ES256, EdDSA), not both');
  const checked = checkPrivateKey(privateKey, 'privateKey');
  if (options.kid === undefined) {
    throw new EmbedError('invalid_key_id', 'a signer with a privateKey needs a kid (like "2026-01"): hosts pick the public key by the kid in each token');
  }
  const key = new LazyKey(crypto, checked, 'sign', 'privateKey');
  // node:crypto imports synchronously: a damaged key fails here, at start-up, not on first sign.
  const imported = key.get();
  if (imported instanceof Promise) imported.catch(() => undefined); // Web Crypto: the first sign() reports it
  return key;
}

/**
 * Creates a signer over `crypto` (see `createEmbedSigner` for the options and behaviour).
 *
 * @example
 * const signer = createSigner(NODE_CRYPTO, { secret, organization: 16417, kid: '2025-06' });
 */
export function createSigner(crypto: TokenCrypto, options: EmbedSignerOptions): EmbedSigner {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createEmbedSigner takes { secret | privateKey, organization, kid?, ttl?, baseUrl? }');
  }
  const key = signingKey(crypto, options);
  const alg = key.alg;
  const organization = options.organization;
  if (!isPositiveId(organization)) {
    throw new EmbedError('invalid_organization', `organization must be a positive integer (your Chartio organization id, e.g. 16417), got ${describe(organization)}`);
  }
  const kid = options.kid === undefined ? undefined : checkKeyId(options.kid, 'kid');
  const defaultTtl = options.ttl === undefined ? MAX_TTL_SECONDS : checkTtl(options.ttl, 'ttl');
  const baseUrlOf: BaseUrlOf | undefined = compileBaseUrl(options.baseUrl);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
  const onSign = options.onSign;
  if (onSign !== undefined && typeof onSign !== 'function') throw new TypeError('onSign must be a function');

  const headerPart = crypto.encodeText(headerJson(alg, kid));
  const memo = new ReuseMemo<TokenResponse>();
  /**
   * `{base}/?embed_token=` per base URL, built once with the URL API: a token is base64url and
   * dots, which a query keeps as they are, so the iframe URL is that prefix and the token.
   */
  const urlPrefixes = new Map<string, string>();
  function embedUrlOf(base: string, token: string): string {
    let prefix = urlPrefixes.get(base);
    if (prefix === undefined) {
      prefix = embedUrl(base, '');
      if (urlPrefixes.size >= URL_PREFIXES_KEPT) urlPrefixes.clear();
      urlPrefixes.set(base, prefix);
    }
    return prefix + token;
  }

  /** Signs one payload; `forget` (the reuse memo's) is called when it fails, so the failure is not kept. */
  async function signFresh(dashboard: number, env: Env, envJson: string, iat: number, exp: number, forget?: () => void): Promise<TokenResponse> {
    try {
      // The base URL first: a bad one should fail before a signature is spent on it.
      const base = baseUrlOf?.(dashboard);
      // The payload text is built by hand from the canonical env JSON already computed for the memo
      // key: claims in a fixed order, keys sorted, so equal payloads give equal bytes.
      const input = `${headerPart}.${crypto.encodeText(`{"organization":${organization},"dashboard":${dashboard},"env":${envJson},"iat":${iat},"exp":${exp}}`)}`;
      const pendingKey = key.get();
      const ready = pendingKey instanceof Promise ? await pendingKey : pendingKey;
      const signature = alg === 'HS256' ? crypto.sign(ready, input) : crypto.signWith(alg, ready, input);
      const token = `${input}.${typeof signature === 'string' ? signature : await signature}`;
      onSign?.({ organization, dashboard, env, iat, exp });
      return Object.freeze(base === undefined ? { token, expiresAt: exp } : { token, expiresAt: exp, url: embedUrlOf(base, token) });
    } catch (error) {
      forget?.();
      throw error;
    }
  }

  /**
   * Signs an env already normalized and bounded, within the reuse window; `fresh`: issued now
   * (`iat` not rounded) and past the memo, so a token a host refused is not handed out again.
   */
  function signNormalizedEnv(dashboard: number, env: Env, envJson: string, ttl: number, fresh = false): SignOutcome {
    const clock = now();
    if (!Number.isFinite(clock)) throw new TypeError('now() must return a finite number of milliseconds');
    const seconds = Math.floor(clock / 1000);
    if (fresh) return { pending: signFresh(dashboard, env, envJson, seconds, seconds + ttl), reused: false };
    const iat = issuedAt(seconds, ttl);
    // The organization and key are fixed per signer, so these four decide the token's bytes.
    const memoKey = `${dashboard} ${ttl} ${iat} ${envJson}`;
    const pending = memo.getOrCreate(memoKey, (forget) => signFresh(dashboard, env, envJson, iat, iat + ttl, forget));
    return { pending, reused: memo.lastHit };
  }

  function sign(input: SignInput): Promise<TokenResponse> {
    try {
      if (input === null || typeof input !== 'object') {
        throw new EmbedError('invalid_dashboard', 'sign() takes { dashboard, env?, ttl? }');
      }
      const { dashboard } = input;
      if (!isPositiveId(dashboard)) {
        throw new EmbedError('invalid_dashboard', `dashboard must be a positive integer (the dashboard id, e.g. 38727), got ${describe(dashboard)}`);
      }
      const ttl = input.ttl === undefined ? defaultTtl : checkTtl(input.ttl, 'sign() ttl');
      const normalized = normalizeEnv(input.env);
      if (!normalized.ok) {
        throw new EmbedError('invalid_env', normalized.problem.message, { variable: normalized.problem.variable });
      }
      return signNormalizedEnv(dashboard, normalized.env, normalized.json, ttl, input.fresh === true).pending;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const signer = { organization, kid, alg, sign };
  const internal: SignerInternals[typeof SIGN_NORMALIZED] = (input: NormalizedSignInput) =>
    signNormalizedEnv(input.dashboard, input.env, input.envJson, input.ttl ?? defaultTtl, input.fresh);
  Object.defineProperty(signer, SIGN_NORMALIZED, { value: internal, enumerable: false });
  return Object.freeze(signer);
}

/** A lifetime must be a whole number of seconds in 1 … 86 400; longer is an error, not a clamp. */
function checkTtl(value: unknown, label: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_TTL_SECONDS && value <= MAX_TTL_SECONDS) return value;
  throw new EmbedError('invalid_ttl', `${label} must be a whole number of seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS} (24 h), got ${describe(value)}`);
}

/** A short, safe rendering of a bad option value for a message. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === null ? 'null' : typeof value;
}
