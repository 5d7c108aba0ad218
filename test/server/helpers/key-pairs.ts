/**
 * Key pairs for the public-key tests, made with node:crypto (independent of the code under test):
 * each as PEM (what `chartio-embed keygen` prints and hosts are configured with) and as JWK (what
 * a JWKS document carries), and a signer for tokens forged by hand with any header.
 * @module
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { b64url } from './signer-fixtures.js';

/** A key pair of one algorithm, in the forms the tests hand out. */
export interface TestKeyPair {
  readonly alg: 'ES256' | 'EdDSA';
  readonly publicPem: string;
  readonly privatePem: string;
  /** The public key as a JWK, without kid (add it per test). */
  readonly publicJwk: Record<string, string>;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A fresh ES256 (P-256) or EdDSA (Ed25519) key pair.
 *
 * @example
 * const pair = keyPair('ES256');
 * createEmbedSigner({ privateKey: pair.privatePem, kid: 'k1', organization: ORGANIZATION });
 */
export function keyPair(alg: 'ES256' | 'EdDSA'): TestKeyPair {
  const { publicKey, privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    alg,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicJwk: publicKey.export({ format: 'jwk' }) as Record<string, string>,
    privateKey,
    publicKey,
  };
}

/**
 * Signs any header and payload with `pair`'s private key through node:crypto (raw r‖s for
 * ES256), so tests can forge exactly the token another library or an attacker would send.
 *
 * @example
 * const token = forgeSigned(pair, { alg: 'ES256', kid: 'k1', typ: 'JWT' }, claimsAt(now));
 */
export function forgeSigned(pair: TestKeyPair, header: object, payload: object): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = pair.alg === 'ES256'
    ? sign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' })
    : sign(null, Buffer.from(input), pair.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}
