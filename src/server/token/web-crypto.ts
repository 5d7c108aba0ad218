/**
 * {@link TokenCrypto} over Web Crypto (`crypto.subtle`) and jose's base64url: what
 * `chartio-embed/server` uses wherever the `node` export condition does not apply (edge runtimes,
 * Deno, Bun, workers). Keys are imported as non-extractable `CryptoKey`s; every HMAC is a promise.
 * @module
 */
import { base64url, type CryptoKey } from 'jose';
import type { HmacKey, KeyUsage, TokenCrypto } from './token-crypto.js';

const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();
// `fatal`: a header or payload whose bytes are not UTF-8 is malformed, not text with U+FFFD in it.
// `ignoreBOM`: a leading byte order mark is kept, as node:crypto's decoding keeps it, so JSON.parse
// refuses it on both paths (RFC 8259 forbids it in JSON sent over a network); dropped silently, a
// token one path refuses would pass the other.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Web Crypto's HMAC-SHA-256, as the token layer uses it. */
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
});
