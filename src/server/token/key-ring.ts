/**
 * The keys a verifier checks tokens with: one `secret`, or `keys: [{ kid, secret }, …]` for a
 * rotation without downtime. A token whose header names a `kid` is checked with that key only; a
 * token without one (the original protocol's tokens have none) with each key that has no id.
 * Keys are checked when the ring is made and imported once, on first use.
 * @module
 */
import type { CryptoKey } from 'jose';
import { KEY_ID } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { EmbedKey, EmbedSecret } from '../types.js';
import { checkedSecret } from './secret.js';
import type { HmacKey, KeyUsage, TokenCrypto } from './token-crypto.js';

/**
 * One key, imported on first use and kept: the secret's copy is dropped once imported. A failed
 * import (Web Crypto's is a promise) is not kept, so a later use tries again.
 */
export class LazyKey {
  readonly #crypto: TokenCrypto;
  readonly #usage: KeyUsage;
  #secret: Uint8Array<ArrayBuffer> | CryptoKey | undefined;
  #key: HmacKey | Promise<HmacKey> | undefined;

  constructor(crypto: TokenCrypto, secret: Uint8Array<ArrayBuffer> | CryptoKey, usage: KeyUsage) {
    this.#crypto = crypto;
    this.#secret = secret;
    this.#usage = usage;
  }

  /** The imported key, or a promise of it the first time on Web Crypto. */
  get(): HmacKey | Promise<HmacKey> {
    if (this.#key !== undefined) return this.#key;
    const imported = this.#crypto.importKey(this.#secret as Uint8Array<ArrayBuffer> | CryptoKey, this.#usage);
    if (!(imported instanceof Promise)) {
      this.#secret = undefined; // from here on the secret lives only inside the key
      return (this.#key = imported);
    }
    const pending = imported.then(
      (key) => {
        this.#key = key;
        this.#secret = undefined;
        return key;
      },
      (error: unknown) => {
        this.#key = undefined;
        throw error;
      },
    );
    this.#key = pending;
    return pending;
  }
}

/** The keys of a verifier, by key id. */
export interface KeyRing {
  /** The keys a token with this `kid` (or none) may be signed with; empty when none fits. */
  candidates(kid: string | undefined): readonly LazyKey[];
  /** Every key's id (`undefined` for a key without one), for messages. */
  readonly ids: readonly (string | undefined)[];
}

/** Where a secret's key comes from: a fresh import, or a cache (verifyEmbedToken's). */
export type KeySource = (secret: EmbedSecret | CryptoKey) => LazyKey;

/**
 * Checks a verifier's `secret` or `keys` and makes its ring. Throws `EmbedError`
 * (`secret_too_short` for a missing or short secret, `invalid_key_id` for a bad or repeated id)
 * or a `TypeError` for options that are neither.
 *
 * @example
 * const ring = keyRing({ keys: [{ secret: old }, { kid: '2025-06', secret: current }] }, (secret) => new LazyKey(crypto, checkedSecret(secret, 'verify'), 'verify'));
 */
export function keyRing(options: { secret?: unknown; keys?: unknown }, source: KeySource): KeyRing {
  const { secret, keys } = options;
  if (keys === undefined) return ringOf([[undefined, source(secret as EmbedSecret)]]);
  if (secret !== undefined) {
    throw new TypeError('pass either secret (one key) or keys ([{ kid, secret }, …] during a rotation), not both');
  }
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError('keys must be a non-empty array of { kid?, secret }: the keys tokens may be signed with');
  }
  const entries: Array<[string | undefined, LazyKey]> = [];
  const seen = new Set<string>();
  for (const entry of keys as unknown[]) {
    if (entry === null || typeof entry !== 'object') throw new TypeError('each of keys must be an object { kid?, secret }');
    const { kid, secret: keySecret } = entry as Partial<EmbedKey>;
    if (kid !== undefined) {
      checkKeyId(kid, 'a kid in keys');
      if (seen.has(kid)) throw new EmbedError('invalid_key_id', `the key id "${kid}" is in keys twice; give each key its own id`);
      seen.add(kid);
    }
    entries.push([kid, source(keySecret as EmbedSecret)]);
  }
  return ringOf(entries);
}

/**
 * Checks a key id: 1 to 64 printable ASCII characters, no space, quote or backslash. Throws
 * `EmbedError('invalid_key_id')` naming `label`.
 *
 * @example
 * checkKeyId('2025-06', 'kid'); // '2025-06'
 */
export function checkKeyId(kid: unknown, label: string): string {
  if (typeof kid === 'string' && KEY_ID.test(kid)) return kid;
  throw new EmbedError(
    'invalid_key_id',
    `${label} must be 1 to 64 printable ASCII characters without spaces, quotes or backslashes (like "2025-06"), got ${typeof kid === 'string' ? JSON.stringify(kid.slice(0, 70)) : typeof kid}`,
  );
}

function ringOf(entries: ReadonlyArray<[string | undefined, LazyKey]>): KeyRing {
  const withoutId = entries.filter(([kid]) => kid === undefined).map(([, key]) => key);
  const byId = new Map<string, readonly LazyKey[]>();
  for (const [kid, key] of entries) if (kid !== undefined) byId.set(kid, [key]);
  const none: readonly LazyKey[] = [];
  return {
    candidates: (kid) => (kid === undefined ? withoutId : (byId.get(kid) ?? none)),
    ids: entries.map(([kid]) => kid),
  };
}

/** Distinct string secrets whose keys `verifyEmbedToken` keeps (a host serves few orgs). */
const STRING_KEY_CACHE_SIZE = 16;

/**
 * A {@link KeySource} that imports each secret once: bytes and `CryptoKey`s by identity in a
 * `WeakMap` (so a dropped buffer frees its key; an array changed in place after first use keeps
 * its first key, so pass a new array when the secret changes), strings in a small bounded `Map`.
 * Secrets are checked before anything is cached.
 *
 * @example
 * const keyOf = cachedKeySource(crypto, 'verify');
 * keyOf(process.env.CHARTIO_EMBED_SECRET!) === keyOf(process.env.CHARTIO_EMBED_SECRET!); // true
 */
export function cachedKeySource(crypto: TokenCrypto, usage: KeyUsage): KeySource {
  const byIdentity = new WeakMap<object, LazyKey>();
  const byText = new Map<string, LazyKey>();
  return (secret) => {
    if (typeof secret === 'string') {
      let key = byText.get(secret);
      if (key === undefined) {
        key = new LazyKey(crypto, checkedSecret(secret, usage), usage);
        byText.set(secret, key);
        if (byText.size > STRING_KEY_CACHE_SIZE) byText.delete(byText.keys().next().value as string); // oldest first
      }
      return key;
    }
    if (typeof secret === 'object' && secret !== null) {
      let key = byIdentity.get(secret);
      if (key === undefined) {
        key = new LazyKey(crypto, checkedSecret(secret, usage), usage);
        byIdentity.set(secret, key);
      }
      return key;
    }
    return new LazyKey(crypto, checkedSecret(secret, usage), usage); // throws: the secret is missing
  };
}
