/**
 * One key with its algorithm, imported on first use: its own file so that the key ring and the
 * JWKS keys, which both hold such keys, need not import each other.
 * @module
 */
import type { CryptoKey } from 'jose';
import type { CheckedKey, TokenAlgorithm } from './key-pem.js';
import type { HmacKey, KeyUsage, TokenCrypto } from './token-crypto.js';

/**
 * One key with its algorithm, imported on first use and kept: the secret's copy is dropped once
 * imported. A failed import (Web Crypto's is a promise) is not kept, so a later use tries again.
 */
export class LazyKey {
  /** The one algorithm tokens checked with this key may carry (key confusion is refused). */
  readonly alg: TokenAlgorithm;
  #load: (() => HmacKey | Promise<HmacKey>) | undefined;
  #key: HmacKey | Promise<HmacKey> | undefined;

  /**
   * An HS256 key from checked secret bytes or an HMAC `CryptoKey`.
   *
   * @example
   * const key = new LazyKey(NODE_CRYPTO, checkedSecret(secret, 'verify'), 'verify');
   */
  constructor(crypto: TokenCrypto, secret: Uint8Array<ArrayBuffer> | CryptoKey, usage: KeyUsage);
  /**
   * An ES256 or EdDSA key checked by key-pem.ts; `label` names it in an import error.
   *
   * @example
   * const key = new LazyKey(NODE_CRYPTO, checkPublicKey(pem, 'keys[0].publicKey'), 'verify', 'keys[0].publicKey');
   */
  constructor(crypto: TokenCrypto, key: CheckedKey, usage: KeyUsage, label: string);
  constructor(crypto: TokenCrypto, key: Uint8Array<ArrayBuffer> | CryptoKey | CheckedKey, usage: KeyUsage, label?: string) {
    if (label !== undefined) {
      const checked = key as CheckedKey;
      this.alg = checked.alg;
      this.#load = () => crypto.importAsymmetricKey(checked, usage, label);
    } else {
      this.alg = 'HS256';
      this.#load = () => crypto.importKey(key as Uint8Array<ArrayBuffer> | CryptoKey, usage);
    }
  }

  /** The imported key, or a promise of it the first time on Web Crypto. */
  get(): HmacKey | Promise<HmacKey> {
    if (this.#key !== undefined) return this.#key;
    const imported = this.#load!();
    if (!(imported instanceof Promise)) {
      this.#load = undefined; // from here on the secret lives only inside the key
      return (this.#key = imported);
    }
    const pending = imported.then(
      (key) => {
        this.#key = key;
        this.#load = undefined;
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
