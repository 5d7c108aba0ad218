/**
 * The keys a verifier checks tokens with: one `secret`, or `keys: [{ kid, secret }, …]` for a
 * rotation without downtime, where a key may also be a public one (`{ kid, publicKey }`, ES256 or
 * EdDSA), and public keys may come from a JWKS URL too. A token whose header names a `kid` is
 * checked with that key only; a token without one (the original protocol's tokens have none)
 * with each key that has no id. Each key allows one algorithm, its own. Keys are checked when the
 * ring is made and imported once, on first use.
 * @module
 */
import type { CryptoKey } from 'jose';
import { KEY_ID } from '../../protocol/index.js';
import { EmbedError } from '../errors.js';
import type { EmbedKey, EmbedSecret } from '../types.js';
import { checkedSecret } from './secret.js';
import type { JwksKeys } from './jwks-keys.js';
import { LazyKey } from './lazy-key.js';
import { checkPublicKey } from './key-pem.js';
import type { KeyUsage, TokenCrypto } from './token-crypto.js';

/** The keys of a verifier, by key id. */
export interface KeyRing {
  /** The keys a token with this `kid` (or none) may be signed with; empty when none fits. */
  candidates(kid: string | undefined): readonly LazyKey[];
  /** Every key's id (`undefined` for a key without one), for messages. */
  readonly ids: readonly (string | undefined)[];
  /**
   * With a JWKS: fetches it again (at most once a minute) and gives the candidates for `kid`
   * then. Absent for a ring of configured keys only.
   */
  refresh?(kid: string): Promise<readonly LazyKey[]>;
  /** With a JWKS whose last fetch failed: why, for messages. */
  readonly problem?: string | undefined;
}

/** Where a secret's key comes from: a fresh import, or a cache (verifyEmbedToken's). */
export type KeySource = (secret: EmbedSecret | CryptoKey) => LazyKey;

/** Where a public key's key comes from; `label` names it in messages (`keys[1].publicKey`). */
export type PublicKeySource = (publicKey: unknown, label: string) => LazyKey;

/**
 * Checks a verifier's `secret`, or its `keys` and `jwks`, and makes its ring. Throws
 * `EmbedError` (`secret_too_short` for a missing or short secret, `invalid_key` for a public key
 * that is not one, `invalid_key_id` for a bad, missing or repeated id) or a `TypeError` for
 * options that are neither.
 *
 * @example
 * const ring = keyRing(
 *   { keys: [{ secret: old }, { kid: '2026-01', publicKey: pem }] },
 *   (secret) => new LazyKey(crypto, checkedSecret(secret, 'verify'), 'verify'),
 *   (key, label) => new LazyKey(crypto, checkPublicKey(key, label), 'verify', label),
 * );
 */
export function keyRing(options: { secret?: unknown; keys?: unknown; jwks?: JwksKeys | undefined }, source: KeySource, publicKeySource: PublicKeySource): KeyRing {
  const { secret, keys, jwks } = options;
  if (keys === undefined && jwks === undefined) return ringOf([[undefined, source(secret as EmbedSecret)]], undefined);
  if (secret !== undefined) {
    throw new TypeError('pass either secret (one key) or keys ([{ kid, secret | publicKey }, …]) and/or jwksUrl, not both');
  }
  if (keys === undefined) return ringOf([], jwks);
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError('keys must be a non-empty array of { kid?, secret } or { kid, publicKey }: the keys tokens may be signed with');
  }
  const entries: Array<[string | undefined, LazyKey]> = [];
  const seen = new Set<string>();
  for (const [index, entry] of (keys as unknown[]).entries()) {
    if (entry === null || typeof entry !== 'object') throw new TypeError('each of keys must be an object { kid?, secret } or { kid, publicKey }');
    const { kid, secret: keySecret, publicKey } = entry as { kid?: unknown; secret?: unknown; publicKey?: unknown };
    if (keySecret !== undefined && publicKey !== undefined) throw new TypeError(`keys[${index}] has both secret and publicKey; give one (a key is HS256 or public, never both)`);
    if (kid !== undefined) {
      checkKeyId(kid, 'a kid in keys');
      if (seen.has(kid as string)) throw new EmbedError('invalid_key_id', `the key id "${kid as string}" is in keys twice; give each key its own id`);
      seen.add(kid as string);
    }
    if (publicKey === undefined) {
      entries.push([kid as string | undefined, source(keySecret as EmbedSecret)]);
      continue;
    }
    // A public key's tokens always name it: its signer is given the same kid.
    if (kid === undefined) throw new EmbedError('invalid_key_id', `keys[${index}] has a publicKey but no kid; give it the kid its signer writes in tokens (like "2026-01")`);
    entries.push([kid as string, publicKeySource(publicKey, `keys[${index}].publicKey`)]);
  }
  return ringOf(entries, jwks);
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

function ringOf(entries: ReadonlyArray<[string | undefined, LazyKey]>, jwks: JwksKeys | undefined): KeyRing {
  const withoutId = entries.filter(([kid]) => kid === undefined).map(([, key]) => key);
  const byId = new Map<string, readonly LazyKey[]>();
  for (const [kid, key] of entries) if (kid !== undefined) byId.set(kid, [key]);
  const none: readonly LazyKey[] = [];
  const configuredIds = entries.map(([kid]) => kid);
  if (jwks === undefined) {
    return {
      candidates: (kid) => (kid === undefined ? withoutId : (byId.get(kid) ?? none)),
      ids: configuredIds,
    };
  }
  // Configured keys first: a JWKS entry cannot replace a key the configuration names.
  const fromJwks = (kid: string): readonly LazyKey[] => {
    const key = jwks.get(kid);
    return key === undefined ? none : [key];
  };
  return {
    candidates: (kid) => (kid === undefined ? withoutId : (byId.get(kid) ?? fromJwks(kid))),
    get ids() {
      return [...configuredIds, ...jwks.ids.filter((id) => !byId.has(id))];
    },
    async refresh(kid) {
      await jwks.refresh();
      return byId.get(kid) ?? fromJwks(kid);
    },
    get problem() {
      return jwks.problem;
    },
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

/**
 * A {@link PublicKeySource} importing each public key on first use, for a verifier made once.
 *
 * @example
 * const publicKeyOf = publicKeySource(NODE_CRYPTO);
 * publicKeyOf(pem, 'keys[1].publicKey').alg; // 'ES256'
 */
export function publicKeySource(crypto: TokenCrypto): PublicKeySource {
  return (publicKey, label) => new LazyKey(crypto, checkPublicKey(publicKey, label), 'verify', label);
}

/**
 * A {@link PublicKeySource} that imports each public key once across calls (`verifyEmbedToken`
 * takes its options on every call): PEM text in a small bounded `Map`, JWK objects by identity.
 *
 * @example
 * const publicKeyOf = cachedPublicKeySource(NODE_CRYPTO);
 * publicKeyOf(pem, 'keys[0].publicKey') === publicKeyOf(pem, 'keys[0].publicKey'); // true
 */
export function cachedPublicKeySource(crypto: TokenCrypto): PublicKeySource {
  const byIdentity = new WeakMap<object, LazyKey>();
  const byText = new Map<string, LazyKey>();
  const fresh = publicKeySource(crypto);
  return (publicKey, label) => {
    if (typeof publicKey === 'string') {
      let key = byText.get(publicKey);
      if (key === undefined) {
        key = fresh(publicKey, label);
        byText.set(publicKey, key);
        if (byText.size > STRING_KEY_CACHE_SIZE) byText.delete(byText.keys().next().value as string); // oldest first
      }
      return key;
    }
    if (typeof publicKey === 'object' && publicKey !== null) {
      let key = byIdentity.get(publicKey);
      if (key === undefined) {
        key = fresh(publicKey, label);
        byIdentity.set(publicKey, key);
      }
      return key;
    }
    return fresh(publicKey, label); // throws: the key is missing
  };
}
