/**
 * The Embed Secret's checks: at least 32 bytes (RFC 7518 §3.2), copied so a caller who later
 * overwrites their buffer does not change the key, and an already imported `CryptoKey` accepted
 * only when it is exactly an HMAC SHA-256 key of that strength.
 * @module
 */
import type { CryptoKey } from 'jose';
import { MIN_SECRET_BYTES } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { KeyUsage } from './token-crypto.js';

const encoder = new TextEncoder();

/**
 * Copies an Embed Secret into fresh bytes (UTF-8 for a string) and checks it is at least
 * 32 bytes long; throws `EmbedError('secret_too_short')` otherwise, without ever echoing it.
 *
 * @example
 * const bytes = secretBytes(process.env.CHARTIO_EMBED_SECRET); // throws if missing or short
 */
export function secretBytes(secret: unknown): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  if (typeof secret === 'string') bytes = encoder.encode(secret);
  // `new Uint8Array(view)` always copies; `slice()` would not on a Node Buffer (it returns a view).
  else if (secret instanceof Uint8Array) bytes = new Uint8Array(secret);
  else {
    // The usual cause is an unset environment variable: say so rather than "wrong type".
    throw new EmbedError(
      'secret_too_short',
      `the Embed Secret is missing (got ${secret === null ? 'null' : typeof secret}); pass the organization's secret as a string or bytes of at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new EmbedError(
      'secret_too_short',
      `the Embed Secret is ${bytes.length} bytes; HS256 needs at least ${MIN_SECRET_BYTES} (RFC 7518 §3.2): use the organization's Embed Secret, or generate one with 32 random bytes`,
    );
  }
  return bytes;
}

/**
 * Tells a Web Crypto key from a string or bytes without relying on a global `CryptoKey`.
 *
 * @example
 * isCryptoKeyLike(await crypto.subtle.importKey(…)); // true
 */
export function isCryptoKeyLike(value: unknown): value is CryptoKey {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array)
    && 'algorithm' in value && 'type' in value && 'usages' in value;
}

/**
 * Checks an already imported key is exactly what HS256 needs for `usage`: a secret HMAC SHA-256
 * key of at least 256 bits with that usage. A wrong key is the caller's code at fault (a
 * `TypeError`); a short one is `secret_too_short`.
 *
 * @example
 * checkCryptoKey(key, 'verify');
 */
export function checkCryptoKey(key: CryptoKey, usage: KeyUsage): CryptoKey {
  const algorithm = key.algorithm as { name?: string; hash?: { name?: string }; length?: number };
  if (key.type !== 'secret' || algorithm.name !== 'HMAC' || algorithm.hash?.name !== 'SHA-256' || !key.usages.includes(usage)) {
    throw new TypeError(`the secret CryptoKey must be an HMAC SHA-256 key with the "${usage}" usage`);
  }
  if ((algorithm.length ?? 0) < MIN_SECRET_BYTES * 8) {
    throw new EmbedError('secret_too_short', `the secret CryptoKey has ${algorithm.length} bits; HS256 needs at least ${MIN_SECRET_BYTES * 8} (RFC 7518 §3.2)`);
  }
  return key;
}

/**
 * A secret given as a string, bytes or an imported `CryptoKey`, checked and in the one form
 * `TokenCrypto.importKey` takes: fresh bytes, or the checked key.
 *
 * @example
 * crypto.importKey(checkedSecret(options.secret, 'verify'), 'verify');
 */
export function checkedSecret(secret: unknown, usage: KeyUsage): Uint8Array<ArrayBuffer> | CryptoKey {
  return isCryptoKeyLike(secret) ? checkCryptoKey(secret, usage) : secretBytes(secret);
}
