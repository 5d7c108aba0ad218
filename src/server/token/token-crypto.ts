/**
 * The few primitives a compact HS256 token needs, behind one interface so the signer and the
 * verifier are written once and run on either of two implementations: `node:crypto` on Node
 * (a `KeyObject` made once, a synchronous HMAC; chosen by the package's `node` export condition)
 * and Web Crypto everywhere else (edge runtimes, Deno, Bun, browsers' workers). Both give the
 * same bytes; test/server/crypto-paths.test.ts holds them to it.
 *
 * Why not jose's `CompactSign` / `jwtVerify`: jose 6 computes every HMAC through Web Crypto,
 * which is asynchronous on Node (a thread-pool round trip per token) and capped the token
 * endpoint near a third of a bare `createHmac` endpoint. An HS256 compact JWS is three base64url
 * parts and one HMAC, and the claim checks were already this project's own, so the token layer
 * is written here (token/jws.ts, token/verify-token.ts) on top of these primitives.
 * @module
 */
import type { CryptoKey } from 'jose';
import type { CheckedKey, PublicKeyAlgorithm } from './key-pem.js';

/** A key as one implementation holds it (a `KeyObject`, a `CryptoKey`): HMAC, EC P-256 or Ed25519. */
export type HmacKey = object;

/** What a key is for: Web Crypto keys carry their usage. */
export type KeyUsage = 'sign' | 'verify';

/** HMAC-SHA-256 and base64url, from `node:crypto` or from Web Crypto. */
export interface TokenCrypto {
  /** `'node:crypto'` or `'Web Crypto'`. */
  readonly name: string;
  /** base64url (no padding) of the UTF-8 bytes of `text`. */
  encodeText(text: string): string;
  /** The text a base64url part encodes, or `undefined` when its bytes are not well-formed UTF-8. */
  decodeText(part: string): string | undefined;
  /** Turns checked secret bytes, or a `CryptoKey` the caller imported, into a key for `usage`. */
  importKey(secret: Uint8Array<ArrayBuffer> | CryptoKey, usage: KeyUsage): HmacKey | Promise<HmacKey>;
  /** The base64url HMAC-SHA-256 of the ASCII text `input`. */
  sign(key: HmacKey, input: string): string | Promise<string>;
  /**
   * Whether `signature` is exactly the base64url HMAC of `input`: the canonical text, not just
   * the same bytes (base64url's last character has unused bits a lenient decoder ignores, and a
   * second spelling of one token would defeat every cache keyed by token). Constant time in the
   * signature's content.
   */
  verify(key: HmacKey, input: string, signature: string): boolean | Promise<boolean>;
  /**
   * Imports a checked ES256 or EdDSA key (key-pem.ts): a private key for `'sign'`, a public one
   * for `'verify'`. Throws (or rejects with) `EmbedError('invalid_key')` naming `label` when the
   * bytes are not a usable key of that algorithm.
   */
  importAsymmetricKey(key: CheckedKey, usage: KeyUsage, label: string): HmacKey | Promise<HmacKey>;
  /** The base64url JWS signature (ES256: the raw 64-byte r‖s, RFC 7518 §3.4) of the ASCII `input`. */
  signWith(alg: PublicKeyAlgorithm, key: HmacKey, input: string): string | Promise<string>;
  /**
   * Whether `signature` is a valid signature of `input` under the public `key`, in its canonical
   * base64url spelling. (An ECDSA signature is randomized: unlike HS256, one payload has many
   * valid tokens; each still verifies only with the key.)
   */
  verifyWith(alg: PublicKeyAlgorithm, key: HmacKey, input: string, signature: string): boolean | Promise<boolean>;
}

/**
 * Compares two strings in time that depends on their length only, for signatures.
 *
 * @example
 * sameText(expectedSignature, signatureFromToken); // true only when equal
 */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
