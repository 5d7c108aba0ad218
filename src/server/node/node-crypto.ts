/**
 * {@link TokenCrypto} over `node:crypto`: a secret `KeyObject` made once per key, and a
 * synchronous `createHmac` per token, with no thread-pool round trip (Web Crypto's HMAC on Node
 * is asynchronous). Chosen by the package's `node` export condition (node/index.ts).
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { KeyObject, createHmac, createSecretKey, type webcrypto } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { sameText, type HmacKey, type TokenCrypto } from '../token/token-crypto.js';

/** `node:crypto`'s HMAC-SHA-256, as the token layer uses it. */
export const NODE_CRYPTO: TokenCrypto = Object.freeze({
  name: 'node:crypto',
  encodeText: (text: string): string => Buffer.from(text, 'utf8').toString('base64url'),
  decodeText(part: string): string | undefined {
    const bytes = Buffer.from(part, 'base64url');
    return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
  },
  importKey(secret: Uint8Array<ArrayBuffer> | CryptoKey): HmacKey {
    // A CryptoKey the caller imported (checked: HMAC SHA-256) becomes the same key as a KeyObject.
    return secret instanceof Uint8Array ? createSecretKey(secret) : KeyObject.from(secret as unknown as webcrypto.CryptoKey);
  },
  sign: (key: HmacKey, input: string): string => createHmac('sha256', key as KeyObject).update(input).digest('base64url'),
  verify: (key: HmacKey, input: string, signature: string): boolean =>
    // Comparing the canonical text also refuses a signature spelled another way (see TokenCrypto.verify).
    sameText(createHmac('sha256', key as KeyObject).update(input).digest('base64url'), signature),
});
