/**
 * `createEmbedSigner`: signs embed tokens (HS256 JWTs) for one organization, reusing the same
 * token for the same payload within a reuse window so the dashboard host's per-token cache hits.
 * Web Crypto and jose only, so it runs on Node 20 and edge runtimes.
 * @module
 */
import { CompactSign, type CryptoKey } from 'jose';
import {
  MAX_TTL_SECONDS,
  MIN_TTL_SECONDS,
  embedUrl,
  isPositiveId,
  normalizeEnv,
  type Env,
} from '../protocol/index.js';
import { compileBaseUrl, type BaseUrlOf } from './token/base-url.js';
import { EmbedError } from './errors.js';
import { ReuseMemo } from './token/reuse-memo.js';
import { issuedAt } from './token/reuse-window.js';
import { importHmacKey, secretBytes } from './token/secret.js';
import { SIGN_NORMALIZED, type SignerInternals } from './token/sign-normalized.js';
import type { EmbedSigner, EmbedSignerOptions, SignInput, TokenResponse } from './types.js';

/** The only header this signer writes; one frozen object shared by every signature. */
const HEADER = Object.freeze({ alg: 'HS256', typ: 'JWT' } as const);
const encoder = new TextEncoder();

/**
 * Creates a signer for one organization. Checks the secret (≥ 32 bytes), the organization id,
 * the default `ttl` and the `baseUrl` right here, so a misconfigured server fails at start-up
 * rather than on its first request. The secret is copied, imported once (on first sign) as a
 * non-extractable HMAC key, and the copy is then dropped.
 *
 * `sign()` resolves to `{ token, expiresAt, url? }`. Signing the same dashboard, env (in any key
 * order) and ttl again within the reuse window (a tenth of the ttl, 1 s … 1 h) resolves to the
 * byte-identical token, served from a bounded memo; concurrent identical calls share one
 * signature. Rejects with `EmbedError` (`invalid_dashboard`, `invalid_env`, `invalid_ttl`,
 * `invalid_base_url`).
 *
 * @example
 * const signer = createEmbedSigner({
 *   secret: process.env.CHARTIO_EMBED_SECRET!,
 *   organization: 16417,
 *   ttl: 900,
 *   baseUrl: 'https://dash.example.com/d/{dashboard}',
 * });
 * const { token, expiresAt, url } = await signer.sign({
 *   dashboard: 38727,
 *   env: { ACCT_ID: 1, DATE_RANGE: ['2014-02-11', '2015-02-11'] },
 * });
 * // url: 'https://dash.example.com/d/38727/?embed_token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…'
 */
export function createEmbedSigner(options: EmbedSignerOptions): EmbedSigner {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createEmbedSigner takes { secret, organization, ttl?, baseUrl? }');
  }
  let pendingBytes: Uint8Array<ArrayBuffer> | undefined = secretBytes(options.secret);
  const organization = options.organization;
  if (!isPositiveId(organization)) {
    throw new EmbedError('invalid_organization', `organization must be a positive integer (your Chartio organization id, e.g. 16417), got ${describe(organization)}`);
  }
  const defaultTtl = options.ttl === undefined ? MAX_TTL_SECONDS : checkTtl(options.ttl, 'ttl');
  const baseUrlOf: BaseUrlOf | undefined = compileBaseUrl(options.baseUrl);
  const now = options.now ?? Date.now;
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
  const onSign = options.onSign;
  if (onSign !== undefined && typeof onSign !== 'function') throw new TypeError('onSign must be a function');

  const memo = new ReuseMemo<TokenResponse>();
  let key: CryptoKey | undefined;
  let keyImport: Promise<CryptoKey> | undefined;

  /** The imported key; imported on first use, once, even under concurrent first calls. */
  function signingKey(): Promise<CryptoKey> {
    keyImport ??= importHmacKey(pendingBytes as Uint8Array<ArrayBuffer>, 'sign').then(
      (imported) => {
        key = imported;
        pendingBytes = undefined; // from here on the secret lives only inside the CryptoKey
        return imported;
      },
      (error: unknown) => {
        keyImport = undefined; // let a later call try again
        throw error;
      },
    );
    return keyImport;
  }

  async function signFresh(dashboard: number, env: Env, envJson: string, iat: number, exp: number): Promise<TokenResponse> {
    // The base URL first: a bad one should fail before a signature is spent on it.
    const base = baseUrlOf?.(dashboard);
    // The payload text is built by hand from the canonical env JSON already computed for the memo
    // key: claims in a fixed order, keys sorted, so equal payloads give equal bytes.
    const payload = `{"organization":${organization},"dashboard":${dashboard},"env":${envJson},"iat":${iat},"exp":${exp}}`;
    const token = await new CompactSign(encoder.encode(payload))
      .setProtectedHeader(HEADER)
      .sign(key ?? (await signingKey()));
    onSign?.({ organization, dashboard, env, iat, exp });
    return Object.freeze(base === undefined ? { token, expiresAt: exp } : { token, expiresAt: exp, url: embedUrl(base, token) });
  }

  /** Signs an env already normalized and bounded, within the reuse window. */
  function signNormalizedEnv(dashboard: number, env: Env, envJson: string, ttl: number): Promise<TokenResponse> {
    const clock = now();
    if (!Number.isFinite(clock)) throw new TypeError('now() must return a finite number of milliseconds');
    const iat = issuedAt(Math.floor(clock / 1000), ttl);
    // The organization is fixed per signer, so these four decide the token's bytes.
    return memo.getOrCreate(`${dashboard} ${ttl} ${iat} ${envJson}`, () => signFresh(dashboard, env, envJson, iat, iat + ttl));
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
      return signNormalizedEnv(dashboard, normalized.env, normalized.json, ttl);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  const signer = { organization, sign };
  const internal: SignerInternals[typeof SIGN_NORMALIZED] = (input) => {
    try {
      return signNormalizedEnv(input.dashboard, input.env, input.envJson, input.ttl ?? defaultTtl);
    } catch (error) {
      return Promise.reject(error);
    }
  };
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
