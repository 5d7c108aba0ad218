/**
 * {@link TokenCrypto} over `node:crypto`: a secret `KeyObject` made once per key, and a
 * synchronous `createHmac` per token, with no thread-pool round trip (Web Crypto's HMAC on Node
 * is asynchronous). Chosen by the package's `node` export condition (node/index.ts).
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { KeyObject, createHmac, createPrivateKey, createPublicKey, createSecretKey, sign as signBytes, verify as verifyBytes, type JsonWebKeyInput, type PrivateKeyInput, type PublicKeyInput, type webcrypto } from 'node:crypto';
import type { CryptoKey } from 'jose';
import { EmbedError } from '../errors.js';
import type { CheckedKey, PublicKeyAlgorithm } from '../token/key-pem.js';
import { sameText, type HmacKey, type KeyUsage, type TokenCrypto } from '../token/token-crypto.js';

/** `node:crypto`'s name for each algorithm's key type. */
const KEY_TYPE = { ES256: 'ec', EdDSA: 'ed25519' } as const;

/** `node:crypto`'s HMAC-SHA-256, ECDSA P-256 and Ed25519, as the token layer uses them. */
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
  importAsymmetricKey(key: CheckedKey, usage: KeyUsage, label: string): HmacKey {
    let imported: KeyObject;
    try {
      const { material } = key;
      const input: JsonWebKeyInput | PrivateKeyInput = 'jwk' in material
        ? { key: material.jwk as JsonWebKeyInput['key'], format: 'jwk' }
        : { key: Buffer.from(material.der), format: 'der', type: material.format as 'pkcs8' | 'sec1' } // 'spki' too, for createPublicKey;
      imported = usage === 'sign' ? createPrivateKey(input) : createPublicKey(input as JsonWebKeyInput | PublicKeyInput);
    } catch {
      throw new EmbedError('invalid_key', `${label} could not be read as an ${key.alg} ${usage === 'sign' ? 'private' : 'public'} key (damaged or cut short); give the key exactly as chartio-embed keygen printed it`);
    }
    const curve = imported.asymmetricKeyDetails?.namedCurve;
    if (imported.asymmetricKeyType !== KEY_TYPE[key.alg] || (key.alg === 'ES256' && curve !== 'prime256v1')) {
      throw new EmbedError('invalid_key', `${label} is not an ${key.alg === 'ES256' ? 'EC P-256' : 'Ed25519'} key; give the key exactly as chartio-embed keygen printed it`);
    }
    return imported;
  },
  signWith: (alg: PublicKeyAlgorithm, key: HmacKey, input: string): string =>
    // ES256's JWS signature is r‖s (IEEE P1363), not the DER that OpenSSL writes by default.
    (alg === 'ES256'
      ? signBytes('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' })
      : signBytes(null, Buffer.from(input), key as KeyObject)
    ).toString('base64url'),
  verifyWith(alg: PublicKeyAlgorithm, key: HmacKey, input: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64url');
    // Both algorithms' signatures are 64 bytes; only their canonical spelling counts (see verify).
    if (bytes.length !== 64 || bytes.toString('base64url') !== signature) return false;
    return alg === 'ES256'
      ? verifyBytes('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, bytes)
      : verifyBytes(null, Buffer.from(input), key as KeyObject, bytes);
  },
});
