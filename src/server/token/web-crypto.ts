/**
 * {@link TokenCrypto} over Web Crypto (`crypto.subtle`) and jose's base64url: what
 * `chartio-embed/server` uses wherever the `node` export condition does not apply (edge runtimes,
 * Deno, Bun, workers). Keys are imported as non-extractable `CryptoKey`s; every HMAC is a promise.
 * @module
 */
import { base64url, type CryptoKey } from 'jose';
import { EmbedError } from '../errors.js';
import type { CheckedKey, PublicKeyAlgorithm } from './key-pem.js';
import type { HmacKey, KeyUsage, TokenCrypto } from './token-crypto.js';

/** A JWK as `importKey` takes it: named from the call itself, since the DOM's `JsonWebKey` is not in a server-only build. */
type JwkInput = Extract<Parameters<typeof crypto.subtle.importKey>[1], { kty?: string }>;

/** Web Crypto's import parameters for each algorithm's key. */
const IMPORT_PARAMS = { ES256: { name: 'ECDSA', namedCurve: 'P-256' }, EdDSA: { name: 'Ed25519' } } as const;
/** Web Crypto's sign and verify parameters: ECDSA's signature is already JWS's raw r‖s. */
const SIGN_PARAMS = { ES256: { name: 'ECDSA', hash: 'SHA-256' }, EdDSA: { name: 'Ed25519' } } as const;

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();
// `fatal`: a header or payload whose bytes are not UTF-8 is malformed, not text with U+FFFD in it.
// `ignoreBOM`: a leading byte order mark is kept, as node:crypto's decoding keeps it, so JSON.parse
// refuses it on both paths (RFC 8259 forbids it in JSON sent over a network); dropped silently, a
// token one path refuses would pass the other.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Web Crypto's HMAC-SHA-256, ECDSA P-256 and Ed25519, as the token layer uses them. */
export const WEB_CRYPTO: TokenCrypto = Object.freeze({
  name: 'Web Crypto',
  encodeText: (text: string): string => base64url.encode(text),
  decodeText(part: string): string | undefined {
    try {
      return strictUtf8.decode(base64url.decode(part));
    } catch {
      return undefined;
    }
  },
  importKey(secret: Uint8Array<ArrayBuffer> | CryptoKey, usage: KeyUsage): HmacKey | Promise<HmacKey> {
    if (!(secret instanceof Uint8Array)) return secret; // checked by the caller: HMAC SHA-256, this usage
    return crypto.subtle.importKey('raw', secret, HMAC_SHA256, false, [usage]);
  },
  async sign(key: HmacKey, input: string): Promise<string> {
    return base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key as CryptoKey, encoder.encode(input))));
  },
  async verify(key: HmacKey, input: string, signature: string): Promise<boolean> {
    let bytes: Uint8Array;
    try {
      bytes = base64url.decode(signature);
    } catch {
      return false;
    }
    // Only the canonical spelling of the signature's bytes counts (see TokenCrypto.verify).
    if (base64url.encode(bytes) !== signature) return false;
    return crypto.subtle.verify('HMAC', key as CryptoKey, bytes as Uint8Array<ArrayBuffer>, encoder.encode(input));
  },
  async importAsymmetricKey(key: CheckedKey, usage: KeyUsage, label: string): Promise<HmacKey> {
    const { material } = key;
    try {
      if ('jwk' in material) return await crypto.subtle.importKey('jwk', material.jwk as JwkInput, IMPORT_PARAMS[key.alg], false, [usage]);
      // Web Crypto reads PKCS #8 only; OpenSSL's "EC PRIVATE KEY" (SEC 1) needs node:crypto.
      if (material.format === 'sec1') throw new EmbedError('invalid_key', `${label} is an "EC PRIVATE KEY" (SEC 1), which Web Crypto cannot read; convert it with \`openssl pkcs8 -topk8 -nocrypt\` or use chartio-embed keygen's "PRIVATE KEY"`);
      return await crypto.subtle.importKey(material.format, material.der, IMPORT_PARAMS[key.alg], false, [usage]);
    } catch (error) {
      if (error instanceof EmbedError) throw error;
      throw new EmbedError('invalid_key', `${label} could not be read as an ${key.alg} ${usage === 'sign' ? 'private' : 'public'} key (damaged or cut short); give the key exactly as chartio-embed keygen printed it`);
    }
  },
  async signWith(alg: PublicKeyAlgorithm, key: HmacKey, input: string): Promise<string> {
    return base64url.encode(new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS[alg], key as CryptoKey, encoder.encode(input))));
  },
  async verifyWith(alg: PublicKeyAlgorithm, key: HmacKey, input: string, signature: string): Promise<boolean> {
    let bytes: Uint8Array;
    try {
      bytes = base64url.decode(signature);
    } catch {
      return false;
    }
    if (bytes.length !== 64 || base64url.encode(bytes) !== signature) return false;
    return crypto.subtle.verify(SIGN_PARAMS[alg], key as CryptoKey, bytes as Uint8Array<ArrayBuffer>, encoder.encode(input));
  },
});
