/**
 * `chartio-embed keygen --alg ES256|EdDSA`: makes a key pair for public-key tokens and prints the
 * private key (for the signing server only), the public key (for hosts' `keys`), and a JWKS
 * holding it (to publish at the hosts' `jwksUrl`). With `--out PREFIX` the three go to files
 * instead (the private key readable by its owner only), and only the public parts are printed.
 * @module
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { checkKeyId } from '../server/token/key-ring.js';
import { parse } from './args.js';
import type { CliIo } from './io.js';
import { quoted } from './printable.js';
import { EXIT, KEYGEN_HELP, UsageError } from './usage.js';

/** A key pair as keygen gives it out. */
export interface GeneratedKeys {
  readonly alg: 'ES256' | 'EdDSA';
  readonly kid: string;
  /** PKCS #8 PEM: what `createEmbedSigner({ privateKey })` and `sign --private-key-file` read. */
  readonly privateKey: string;
  /** SPKI PEM: what a host's `keys: [{ kid, publicKey }]` holds. */
  readonly publicKey: string;
  /** `{ keys: [ … ] }`, the public key with its kid, alg and use. */
  readonly jwks: { keys: Array<Record<string, string>> };
}

/**
 * A fresh key pair for `alg`, named `kid`.
 *
 * @example
 * const { privateKey, publicKey, jwks } = generateKeys('ES256', '2026-01');
 */
export function generateKeys(alg: 'ES256' | 'EdDSA', kid: string): GeneratedKeys {
  const pair: { publicKey: KeyObject; privateKey: KeyObject } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const jwk = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
  return {
    alg,
    kid,
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    jwks: { keys: [{ ...jwk, kid, alg, use: 'sig' }] },
  };
}

/**
 * Runs `keygen` and resolves to the exit code.
 *
 * @example
 * await keygenCommand(['--alg', 'ES256', '--kid', '2026-01'], io);
 */
export async function keygenCommand(args: readonly string[], io: CliIo, today: () => Date = () => new Date()): Promise<number> {
  const { values } = parse(args, {
    alg: { type: 'string' },
    kid: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (values.help) {
    io.out(KEYGEN_HELP);
    return EXIT.ok;
  }
  const alg = values.alg;
  if (alg !== 'ES256' && alg !== 'EdDSA') {
    throw new UsageError(`keygen needs --alg ES256 (EC P-256) or --alg EdDSA (Ed25519)${alg === undefined ? '' : `, got ${quoted(alg)}`}`);
  }
  // The default id is the day the key was made: rotations then read in order.
  const kid = values.kid ?? today().toISOString().slice(0, 10);
  try {
    checkKeyId(kid, '--kid');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const keys = generateKeys(alg, kid);
  const jwksText = `${JSON.stringify(keys.jwks, null, 2)}\n`;
  if (values.out !== undefined) {
    const prefix = values.out;
    // `wx`: never overwrite a key already there (it may be the one in use).
    try {
      await writeFile(`${prefix}.key.pem`, keys.privateKey, { mode: 0o600, flag: 'wx' });
      await writeFile(`${prefix}.pub.pem`, keys.publicKey, { flag: 'wx' });
      await writeFile(`${prefix}.jwks.json`, jwksText, { flag: 'wx' });
    } catch (error) {
      throw new UsageError(`cannot write the key files at ${quoted(prefix)}.* (${(error as NodeJS.ErrnoException).code ?? 'unwritable'}); keygen never overwrites a key file`);
    }
    io.out(`Wrote ${prefix}.key.pem (the private key: the signing server only, mode 600), ${prefix}.pub.pem and ${prefix}.jwks.json (kid "${kid}", ${alg}).\n\n${keys.publicKey}`);
    return EXIT.ok;
  }
  if (values.json) {
    io.out(`${JSON.stringify(keys)}\n`);
    return EXIT.ok;
  }
  io.out(
    `# ${alg} key pair, kid "${kid}"\n` +
      `# The private key: for the signing server only (sign --private-key-file, createEmbedSigner({ privateKey, kid })).\n${keys.privateKey}\n` +
      `# The public key: for the hosts (host.json keys: [{ "kid": "${kid}", "publicKey": "…" }]).\n${keys.publicKey}\n` +
      `# The JWKS: publish it at the hosts' jwksUrl (beside the keys still in use).\n${jwksText}`,
  );
  return EXIT.ok;
}
