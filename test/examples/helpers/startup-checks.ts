/**
 * What an example must refuse at start, as the TypeScript signer and handler throw at
 * construction: a server that could only issue bad tokens must not run.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeyPairSync } from 'node:crypto';
import { EDDSA_KEY, ES256_KEY, SECRET } from '../../server/helpers/endpoint-fixtures.js';
import { STARTED, runToExit, type Language } from './example-process.js';
import { exampleEnv } from './example-targets.js';

/** Keys of types the examples do not sign with: another curve (P-384), and RSA. */
const P384_PRIVATE_KEY = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const RSA_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
/** The refusal of a key of another type, naming both accepted ones. */
const KEY_TYPES = /CHARTIO_EMBED_PRIVATE_KEY must be an EC P-256 .*ES256.* or an Ed25519 .*EdDSA/;

/** Registers the start-up refusals for one example. */
export function startupChecks(language: Language): void {
  describe(`the ${language} example refuses to start with a configuration that could not work`, () => {
    const refusals: Array<[string, Record<string, string>, RegExp]> = [
      ['no Embed Secret', { CHARTIO_EMBED_SECRET: '' }, /CHARTIO_EMBED_SECRET is 0 bytes.*32/],
      ['a 31-byte Embed Secret', { CHARTIO_EMBED_SECRET: 's'.repeat(31) }, /31 bytes.*32/],
      ['ACCT_ID among the filters the browser may set', { CHARTIO_FILTERS: 'USER_ID,ACCT_ID' }, /ACCT_ID.*session/],
      ['a filter that is not a Hidden Variable name', { CHARTIO_FILTERS: 'user_id' }, /Hidden Variable/],
      ['a lifetime over 24 h', { CHARTIO_TTL: '86401' }, /CHARTIO_TTL/],
      ['a lifetime of 0', { CHARTIO_TTL: '0' }, /CHARTIO_TTL/],
      ['no dashboards', { CHARTIO_DASHBOARDS: '' }, /CHARTIO_DASHBOARDS/],
      ['a base URL without {dashboard}', { CHARTIO_BASE_URL: 'https://dash.example.test/d/1' }, /CHARTIO_BASE_URL/],
      ['an allowed origin with a path', { CHARTIO_ALLOWED_ORIGINS: 'https://app.example.com/' }, /CHARTIO_ALLOWED_ORIGINS/],
      ['an allowed origin with a wildcard, which never matches', { CHARTIO_ALLOWED_ORIGINS: 'https://app.example.com,https://*.example.com' }, /CHARTIO_ALLOWED_ORIGINS.*\*\.example\.com.*wildcard/],
      ['a key id with a space', { CHARTIO_EMBED_KID: 'key 2' }, /CHARTIO_EMBED_KID/],
      ['a key id with a quote', { CHARTIO_EMBED_KID: 'k"2' }, /CHARTIO_EMBED_KID/],
      ['a private key without a key id', { CHARTIO_EMBED_PRIVATE_KEY: ES256_KEY.privateKey, CHARTIO_EMBED_KID: '' }, /CHARTIO_EMBED_PRIVATE_KEY needs CHARTIO_EMBED_KID/],
      ['an Ed25519 private key without a key id', { CHARTIO_EMBED_PRIVATE_KEY: EDDSA_KEY.privateKey, CHARTIO_EMBED_KID: '' }, /CHARTIO_EMBED_PRIVATE_KEY needs CHARTIO_EMBED_KID/],
      ['a private key that is not PEM', { CHARTIO_EMBED_PRIVATE_KEY: 'not a key', CHARTIO_EMBED_KID: 'k1' }, /CHARTIO_EMBED_PRIVATE_KEY is not a PEM private key/],
      ['an EC P-384 private key (ES256 is P-256 only)', { CHARTIO_EMBED_PRIVATE_KEY: P384_PRIVATE_KEY, CHARTIO_EMBED_KID: 'k1' }, KEY_TYPES],
      ['an RSA private key', { CHARTIO_EMBED_PRIVATE_KEY: RSA_PRIVATE_KEY, CHARTIO_EMBED_KID: 'k1' }, KEY_TYPES],
      ['an Ed25519 public key where the private key belongs', { CHARTIO_EMBED_PRIVATE_KEY: EDDSA_KEY.publicKey, CHARTIO_EMBED_KID: 'k1' }, /CHARTIO_EMBED_PRIVATE_KEY (?:is not a PEM private key|must be)/],
    ];
    for (const [what, change, message] of refusals) {
      it(what, async () => {
        const env = { ...exampleEnv(), ...change };
        const { code, stdout, stderr } = await runToExit(language, env);
        assert.notEqual(code, 0);
        assert.doesNotMatch(stdout + stderr, STARTED);
        assert.match(stderr, message);
        // Neither the fixture's secret nor the one this case configured is ever printed.
        for (const secret of [SECRET, env.CHARTIO_EMBED_SECRET, ES256_KEY.privateKey.split('\n')[1]!, EDDSA_KEY.privateKey.split('\n')[1]!, P384_PRIVATE_KEY.split('\n')[1]!, RSA_PRIVATE_KEY.split('\n')[1]!]) {
          if (secret) assert.ok(!stdout.includes(secret) && !stderr.includes(secret), 'the secret is never printed');
        }
      });
    }
  });
}
