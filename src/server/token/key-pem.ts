/**
 * Public and private keys as people hand them over (PEM text, or a JWK object), read without any
 * crypto library: which algorithm a key is for (ES256: an EC P-256 key; EdDSA: an Ed25519 key),
 * and whether it is the kind of key the place asks for (a public key where a host verifies, a
 * private one where a signer signs). Both crypto implementations (node:crypto, Web Crypto) import
 * from what this module checked, so a key is refused with the same code and words on either.
 * @module
 */
import { EmbedError } from '../errors.js';

/** The public-key algorithms tokens may be signed with, beside HS256. */
export type PublicKeyAlgorithm = 'ES256' | 'EdDSA';

/** Every algorithm a token may carry: HS256 (the default) and the public-key ones. */
export type TokenAlgorithm = 'HS256' | PublicKeyAlgorithm;

/** The algorithms, in the order messages list them. */
export const TOKEN_ALGORITHMS: readonly TokenAlgorithm[] = ['HS256', 'ES256', 'EdDSA'];

/** A public or private key: PEM text (`-----BEGIN PUBLIC KEY-----…`) or a JWK object. */
export type KeyText = string | JsonWebKeyLike;

/** The JWK members this project reads (RFC 7517, 7518 §6.2, 8037). */
export interface JsonWebKeyLike {
  /** Key type: `EC` (P-256) or `OKP` (Ed25519). */
  kty?: string;
  /** Curve: `P-256` or `Ed25519`. */
  crv?: string;
  /** The public point's x coordinate (base64url). */
  x?: string;
  /** The public point's y coordinate (base64url; P-256 only). */
  y?: string;
  /** The private part (base64url): present in a private JWK only. */
  d?: string;
  /** The key id. */
  kid?: string;
  /** The algorithm, when stated: `ES256` or `EdDSA`. */
  alg?: string;
  /** The intended use, when stated: `sig`. */
  use?: string;
  [member: string]: unknown;
}

/** A key checked here: its algorithm, and the form the crypto implementations import. */
export interface CheckedKey {
  readonly alg: PublicKeyAlgorithm;
  /** The PEM's DER bytes (SPKI for a public key, PKCS #8 or SEC 1 for a private one), or the JWK. */
  readonly material: { readonly der: Uint8Array<ArrayBuffer>; readonly format: 'spki' | 'pkcs8' | 'sec1' } | { readonly jwk: JsonWebKeyLike };
}

// The DER of the object identifiers that name a key's algorithm (X.690 tag 06, length, value).
const OID_ED25519 = [0x06, 0x03, 0x2b, 0x65, 0x70]; // 1.3.101.112
const OID_EC_PUBLIC_KEY = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]; // 1.2.840.10045.2.1
const OID_P256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]; // 1.2.840.10045.3.1.7

const PEM = /^-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n?-----END \1-----\s*$/;

/**
 * Checks a public key (a host's `keys[].publicKey`, a JWKS entry): PEM `PUBLIC KEY` or a JWK
 * without a private part, for ES256 (P-256) or EdDSA (Ed25519). Throws `EmbedError('invalid_key')`
 * naming `label` and saying what to give; a private key is refused (it does not belong on a host).
 *
 * @example
 * checkPublicKey(readFileSync('signer-2026-01.pub.pem', 'utf8'), 'keys[1].publicKey').alg; // 'ES256'
 */
export function checkPublicKey(key: unknown, label: string): CheckedKey {
  return checkKey(key, label, 'public');
}

/**
 * Checks a signer's private key: PEM `PRIVATE KEY` (PKCS #8, what `chartio-embed keygen` prints)
 * or `EC PRIVATE KEY` (SEC 1, OpenSSL's default), or a JWK with its `d`. Throws
 * `EmbedError('invalid_key')` naming `label`, never echoing the key.
 *
 * @example
 * checkPrivateKey(process.env.CHARTIO_EMBED_PRIVATE_KEY, 'privateKey').alg; // 'EdDSA'
 */
export function checkPrivateKey(key: unknown, label: string): CheckedKey {
  return checkKey(key, label, 'private');
}

function checkKey(key: unknown, label: string, kind: 'public' | 'private'): CheckedKey {
  const expected = kind === 'public'
    ? 'a public key: PEM text starting "-----BEGIN PUBLIC KEY-----" (chartio-embed keygen prints one), or a JWK { kty, crv, x[, y] }, for ES256 (EC P-256) or EdDSA (Ed25519)'
    : 'a private key: PEM text starting "-----BEGIN PRIVATE KEY-----" (chartio-embed keygen prints one), or a JWK with its "d", for ES256 (EC P-256) or EdDSA (Ed25519)';
  const fail = (problem: string): never => {
    throw new EmbedError('invalid_key', `${label} ${problem}; give ${expected}`);
  };
  if (typeof key === 'string') {
    const match = PEM.exec(key.trim());
    if (match === null) return fail(key.trim() === '' ? 'is empty' : 'is not PEM text');
    const labelText = match[1]!;
    const format = labelText === 'PUBLIC KEY' ? 'spki' : labelText === 'PRIVATE KEY' ? 'pkcs8' : labelText === 'EC PRIVATE KEY' ? 'sec1' : undefined;
    if (format === undefined) return fail(`is a PEM "${labelText}", which is not a key this project reads`);
    if (kind === 'public' && format !== 'spki') return fail('is a private key: hosts hold public keys only (keep the private key on the signing server)');
    if (kind === 'private' && format === 'spki') return fail('is a public key: the signer needs the private key');
    let der: Uint8Array<ArrayBuffer>;
    try {
      der = base64Bytes(match[2]!.replace(/\s+/g, ''));
    } catch {
      return fail('is not valid base64 inside its PEM lines');
    }
    const alg = algorithmOfDer(der, format);
    if (alg === undefined) return fail('is neither an EC P-256 nor an Ed25519 key (RSA and other curves are not accepted)');
    return { alg, material: { der, format } };
  }
  if (key !== null && typeof key === 'object' && !Array.isArray(key) && !(key instanceof Uint8Array)) {
    const jwk = key as JsonWebKeyLike;
    const hasPrivate = typeof jwk.d === 'string';
    if (kind === 'public' && hasPrivate) return fail('is a private JWK (it has "d"): hosts hold public keys only');
    if (kind === 'private' && !hasPrivate) return fail('is a public JWK (it has no "d"): the signer needs the private key');
    let alg: PublicKeyAlgorithm | undefined;
    if (jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string') alg = 'ES256';
    else if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && typeof jwk.x === 'string') alg = 'EdDSA';
    if (alg === undefined) return fail('is neither an EC P-256 JWK nor an Ed25519 (OKP) JWK');
    if (jwk.alg !== undefined && jwk.alg !== alg) return fail(`says "alg": ${JSON.stringify(String(jwk.alg).slice(0, 16))}, but its curve is for ${alg}`);
    // Only the members a key needs: nothing else from a JWKS document reaches the importers.
    const clean: JsonWebKeyLike = alg === 'ES256' ? { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! } : { kty: 'OKP', crv: 'Ed25519', x: jwk.x! };
    if (hasPrivate) clean.d = jwk.d!;
    return { alg, material: { jwk: clean } };
  }
  return fail(key === undefined || key === null ? 'is missing' : `is a ${typeof key}`);
}

/** The algorithm named by the key's object identifiers, found in its DER. */
function algorithmOfDer(der: Uint8Array, format: 'spki' | 'pkcs8' | 'sec1'): PublicKeyAlgorithm | undefined {
  if (format !== 'sec1' && contains(der, OID_ED25519)) return 'EdDSA';
  // SEC 1 keys are EC keys by definition; the curve is named in their parameters.
  if ((format === 'sec1' || contains(der, OID_EC_PUBLIC_KEY)) && contains(der, OID_P256)) return 'ES256';
  return undefined;
}

function contains(bytes: Uint8Array, pattern: readonly number[]): boolean {
  outer: for (let i = 0; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return true;
  }
  return false;
}

/** Standard base64 (as PEM has it) to bytes; throws on a character outside the alphabet. */
function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
