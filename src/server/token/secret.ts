/**
 * Turning an Embed Secret into a Web Crypto HMAC-SHA-256 key: the length check of RFC 7518
 * §3.2, a one-time import as a non-extractable `CryptoKey`, and a cache so the verifier does not
 * import the same secret again on every token. Web Crypto only (no `node:crypto`), so it runs on
 * Node 20 and on edge runtimes alike.
 * @module
 */
import type { CryptoKey } from 'jose';
import { MIN_SECRET_BYTES } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { EmbedSecret } from '../types.js';

const encoder = new TextEncoder();
const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;

/** Distinct string secrets whose imported keys the verifier keeps (a host serves few orgs). */
const STRING_KEY_CACHE_SIZE = 16;

/**
 * Copies an Embed Secret into fresh bytes (UTF-8 for a string) and checks it is at least
 * 32 bytes long; throws `EmbedError('secret_too_short')` otherwise, without ever echoing it.
 * The copy means a caller who later overwrites their buffer does not change the key.
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
 * Imports secret bytes as a non-extractable HMAC-SHA-256 key for one use. Importing once and
 * reusing the key is what makes jose fast: raw bytes would be re-imported on every call.
 *
 * @example
 * const key = await importHmacKey(secretBytes(secret), 'sign');
 */
export function importHmacKey(bytes: Uint8Array<ArrayBuffer>, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes, HMAC_SHA256, false, [usage]) as Promise<CryptoKey>;
}

/** Tells a Web Crypto key from a string or bytes without relying on a global `CryptoKey`. */
function isCryptoKeyLike(value: unknown): value is CryptoKey {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array)
    && 'algorithm' in value && 'type' in value && 'usages' in value;
}

/** An already imported key must be exactly what HS256 verification needs. */
function checkVerifyKey(key: CryptoKey): CryptoKey {
  const algorithm = key.algorithm as { name?: string; hash?: { name?: string }; length?: number };
  if (key.type !== 'secret' || algorithm.name !== 'HMAC' || algorithm.hash?.name !== 'SHA-256' || !key.usages.includes('verify')) {
    throw new TypeError('the secret CryptoKey must be an HMAC SHA-256 key with the "verify" usage');
  }
  if ((algorithm.length ?? 0) < MIN_SECRET_BYTES * 8) {
    throw new EmbedError('secret_too_short', `the secret CryptoKey has ${algorithm.length} bits; HS256 needs at least ${MIN_SECRET_BYTES * 8} (RFC 7518 §3.2)`);
  }
  return key;
}

const byteKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
const stringKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The verification key for a secret given as a string, bytes or an imported `CryptoKey`,
 * imported at most once per secret: bytes by identity in a `WeakMap` (so a dropped buffer frees
 * its key; an array changed in place after first use keeps its first key — pass a new array when
 * the secret rotates), strings in a small bounded `Map`. Rejects with `EmbedError` for a short
 * or missing secret and never caches a failure.
 *
 * @example
 * const key = await verificationKey(process.env.CHARTIO_EMBED_SECRET!);
 * await verificationKey(process.env.CHARTIO_EMBED_SECRET!) === key; // true: imported once
 */
export function verificationKey(secret: EmbedSecret | CryptoKey): Promise<CryptoKey> {
  try {
    if (typeof secret === 'string') {
      const pending = stringKeys.get(secret) ?? remember(stringKeys, secret, importHmacKey(secretBytes(secret), 'verify'));
      if (stringKeys.size > STRING_KEY_CACHE_SIZE) stringKeys.delete(stringKeys.keys().next().value as string); // oldest first
      return pending;
    }
    if (secret instanceof Uint8Array) {
      return byteKeys.get(secret) ?? remember(byteKeys, secret, importHmacKey(secretBytes(secret), 'verify'));
    }
    if (isCryptoKeyLike(secret)) return Promise.resolve(checkVerifyKey(secret));
    secretBytes(secret); // neither string, bytes nor key: throws the "secret is missing" error
    throw new TypeError('unreachable');
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The part of `Map` and `WeakMap` the cache needs. */
interface KeyCache<K> {
  get(secret: K): Promise<CryptoKey> | undefined;
  set(secret: K, key: Promise<CryptoKey>): unknown;
  delete(secret: K): boolean;
}

/** Caches a pending import, and forgets it if it fails so a later call may try again. */
function remember<K>(cache: KeyCache<K>, secret: K, pending: Promise<CryptoKey>): Promise<CryptoKey> {
  cache.set(secret, pending);
  pending.catch(() => {
    if (cache.get(secret) === pending) cache.delete(secret);
  });
  return pending;
}
