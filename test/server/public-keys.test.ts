/**
 * ES256 and EdDSA tokens beside HS256, on both entries (Web Crypto and node:crypto): a signer
 * with a private key, a verifier with public keys, cross-checked against jose (an independent
 * JWS implementation) and node:crypto; the refusals of key confusion (an HS256 token made with
 * the public key's text as its secret, an algorithm the key id's key is not for, `none`) and of
 * key headers (`jku`, `x5u`, `jwk`: never read, never fetched); keys that are not keys.
 * @module
 */
import assert from 'node:assert/strict';
import { createHmac, verify as nodeVerify } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { SignJWT, importJWK, importPKCS8, importSPKI, jwtVerify } from 'jose';
import type { EmbedKey } from '../../src/server/index.js';
import { listenLocal } from '../launchers/listen-local.js';
import { forgeSigned, keyPair, type TestKeyPair } from './helpers/key-pairs.js';
import { SERVER_APIS } from './helpers/server-apis.js';
import { DASHBOARD, ORGANIZATION, SECRET, T0, b64url, claimsAt, forgeToken, manualClock, rejectsWith } from './helpers/signer-fixtures.js';

const PAIRS: Record<'ES256' | 'EdDSA', TestKeyPair> = { ES256: keyPair('ES256'), EdDSA: keyPair('EdDSA') };
const OTHER: Record<'ES256' | 'EdDSA', TestKeyPair> = { ES256: keyPair('ES256'), EdDSA: keyPair('EdDSA') };

function partsOf(token: string): { header: Record<string, unknown>; signature: Buffer } {
  const [header, , signature] = token.split('.');
  return { header: JSON.parse(Buffer.from(header!, 'base64url').toString()) as Record<string, unknown>, signature: Buffer.from(signature!, 'base64url') };
}

/** A local server that counts every request: a token's jku or x5u must never reach it. */
let dialled = 0;
let trapUrl = '';
const trap = createServer((request, response) => {
  dialled += 1;
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ ...OTHER.ES256.publicJwk, kid: 'k1' }] }));
});
before(async () => {
  trapUrl = `${(await listenLocal(trap)).origin}/jwks.json`;
});
after(() => trap.close());

for (const { name, createEmbedSigner, createEmbedVerifier, verifyEmbedToken } of SERVER_APIS) {
  describe(name, () => {
    const clock = manualClock(T0 + 10 * 60_000);
    const at = { organization: ORGANIZATION, now: clock.now };

    for (const alg of ['ES256', 'EdDSA'] as const) {
      const pair = PAIRS[alg];
      const keys: EmbedKey[] = [{ kid: 'k1', publicKey: pair.publicPem }];

      describe(alg, () => {
        test('the signer writes the algorithm and kid, and its tokens verify here, with jose and with node:crypto', async () => {
          const signer = createEmbedSigner({ privateKey: pair.privatePem, kid: 'k1', ...at });
          assert.equal(signer.alg, alg);
          const { token } = await signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: 1 } });
          const { header, signature } = partsOf(token);
          assert.deepEqual(header, { alg, kid: 'k1', typ: 'JWT' });
          assert.equal(Buffer.from(token.split('.')[0]!, 'base64url').toString(), `{"alg":"${alg}","kid":"k1","typ":"JWT"}`);
          assert.equal(signature.length, 64); // ES256: raw r‖s (JWS), not DER
          const claims = await createEmbedVerifier({ keys, ...at }).verify(token, { dashboard: DASHBOARD });
          assert.deepEqual(claims.env, { ACCT_ID: '1' });
          const byJose = await jwtVerify(token, await importSPKI(pair.publicPem, alg), { currentDate: new Date(clock.now()) });
          assert.equal(byJose.payload.dashboard, DASHBOARD);
          const input = Buffer.from(token.slice(0, token.lastIndexOf('.')));
          assert.ok(alg === 'ES256' ? nodeVerify('sha256', input, { key: pair.publicKey, dsaEncoding: 'ieee-p1363' }, signature) : nodeVerify(null, input, pair.publicKey, signature));
        });

        test('tokens signed by jose and by node:crypto verify; a JWK works as well as PEM', async () => {
          const byJose = await new SignJWT(claimsAt(clock.seconds())).setProtectedHeader({ alg, kid: 'k1' }).sign(await importPKCS8(pair.privatePem, alg));
          const byNode = forgeSigned(pair, { alg, kid: 'k1' }, claimsAt(clock.seconds()));
          for (const token of [byJose, byNode]) {
            assert.equal((await verifyEmbedToken(token, { keys, ...at })).dashboard, DASHBOARD);
            assert.equal((await createEmbedVerifier({ keys: [{ kid: 'k1', publicKey: { ...pair.publicJwk, alg } }], ...at }).verify(token)).dashboard, DASHBOARD);
          }
          // And a signer given the private key as a JWK signs tokens jose verifies.
          const privateJwk = pair.privateKey.export({ format: 'jwk' }) as Record<string, string>;
          const { token } = await createEmbedSigner({ privateKey: privateJwk, kid: 'k1', ...at }).sign({ dashboard: DASHBOARD });
          await jwtVerify(token, await importJWK(pair.publicJwk, alg), { currentDate: new Date(clock.now()) });
        });

        test('the same payload within the reuse window is the same token (the host\'s cache hits), though signatures are randomized', async () => {
          const signer = createEmbedSigner({ privateKey: pair.privatePem, kid: 'k1', ...at });
          const first = await signer.sign({ dashboard: DASHBOARD, env: { A: '1' } });
          assert.equal((await signer.sign({ dashboard: DASHBOARD, env: { A: '1' } })).token, first.token);
        });

        test('token_signature: another key pair\'s signature, or a payload changed after signing', async () => {
          const forged = forgeSigned(OTHER[alg], { alg, kid: 'k1', typ: 'JWT' }, claimsAt(clock.seconds()));
          const error = await rejectsWith(verifyEmbedToken(forged, { keys, ...at }), 'token_signature', { token: forged });
          assert.match(error.message, new RegExp(`${alg} public key`));
          const good = forgeSigned(pair, { alg, kid: 'k1', typ: 'JWT' }, claimsAt(clock.seconds()));
          const [h, , s] = good.split('.');
          const changed = `${h}.${b64url(JSON.stringify(claimsAt(clock.seconds(), { dashboard: 1 })))}.${s}`;
          await rejectsWith(verifyEmbedToken(changed, { keys, ...at }), 'token_signature', { token: changed });
        });

        test('key confusion: an HS256 token whose secret is the public key\'s own text is refused as token_algorithm', async () => {
          for (const secret of [pair.publicPem, pair.publicPem.trim(), JSON.stringify(pair.publicJwk)]) {
            const hs = forgeToken({ alg: 'HS256', kid: 'k1', typ: 'JWT' }, claimsAt(clock.seconds()), secret);
            const error = await rejectsWith(verifyEmbedToken(hs, { keys, ...at }), 'token_algorithm', { token: hs });
            assert.match(error.message, new RegExp(`"HS256", but the key "k1" is for ${alg} only`));
          }
        });

        test('key confusion: the other public-key algorithm under this kid, none, and an HS256 key\'s kid used for a public-key token', async () => {
          const otherAlg = alg === 'ES256' ? 'EdDSA' : 'ES256';
          const wrong = forgeSigned(PAIRS[otherAlg], { alg: otherAlg, kid: 'k1', typ: 'JWT' }, claimsAt(clock.seconds()));
          await rejectsWith(verifyEmbedToken(wrong, { keys, ...at }), 'token_algorithm', { token: wrong });
          const none = `${b64url(JSON.stringify({ alg: 'none', kid: 'k1' }))}.${b64url(JSON.stringify(claimsAt(clock.seconds())))}.`;
          await rejectsWith(verifyEmbedToken(none, { keys, ...at }), 'token_algorithm', { token: none });
          // A ring holding the secret under kid "hs": a public-key token naming it is refused.
          const mixed: EmbedKey[] = [{ kid: 'hs', secret: SECRET }, ...keys];
          const onSecret = forgeSigned(pair, { alg, kid: 'hs', typ: 'JWT' }, claimsAt(clock.seconds()));
          await rejectsWith(verifyEmbedToken(onSecret, { keys: mixed, ...at }), 'token_algorithm', { token: onSecret });
          // A public-key token without a kid against the secrets without one.
          const noKid = forgeSigned(pair, { alg, typ: 'JWT' }, claimsAt(clock.seconds()));
          await rejectsWith(verifyEmbedToken(noKid, { secret: SECRET, ...at }), 'token_algorithm', { token: noKid });
          // And both kinds side by side still verify each its own way.
          const hs = await createEmbedSigner({ secret: SECRET, kid: 'hs', ...at }).sign({ dashboard: DASHBOARD });
          const pk = await createEmbedSigner({ privateKey: pair.privatePem, kid: 'k1', ...at }).sign({ dashboard: DASHBOARD });
          const verifier = createEmbedVerifier({ keys: mixed, ...at });
          for (const { token } of [hs, pk]) assert.equal((await verifier.verify(token)).dashboard, DASHBOARD);
        });

        test('jku, x5u and jwk headers are ignored: never fetched, never used to pick a key', async () => {
          const before = dialled;
          const attacker = OTHER[alg];
          const headers = [
            { alg, kid: 'k1', jku: trapUrl },
            { alg, kid: 'k1', x5u: trapUrl },
            { alg, kid: 'k1', jwk: { ...attacker.publicJwk, kid: 'k1' } },
            { alg, kid: 'attacker', jwk: attacker.publicJwk, jku: trapUrl },
          ];
          for (const header of headers) {
            const token = forgeSigned(attacker, header, claimsAt(clock.seconds()));
            await rejectsWith(verifyEmbedToken(token, { keys, ...at }), header.kid === 'k1' ? 'token_signature' : 'token_key_unknown', { token });
          }
          // A JWKS verifier too: its own URL only.
          const jwksVerifier = createEmbedVerifier({ keys, jwksUrl: `${trapUrl.replace('/jwks.json', '/not-the-trap')}`, ...at });
          const viaJku = forgeSigned(attacker, { alg, kid: 'attacker', jku: trapUrl }, claimsAt(clock.seconds()));
          const seenBefore = dialled;
          await rejectsWith(jwksVerifier.verify(viaJku), 'token_key_unknown', { token: viaJku });
          assert.equal(dialled - seenBefore, 1, 'the configured URL is asked (it answers for every path here), once');
          assert.equal(dialled - before, 1, 'no request for any token header');
        });
      });
    }

    describe('keys that are not usable are refused at construction', () => {
      test('invalid_key: a private key where a public one belongs, RSA, garbage, a public key to sign with', async () => {
        const { generateKeyPairSync } = await import('node:crypto');
        const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
        const bad: unknown[] = [PAIRS.ES256.privatePem, rsa, 'not a key', '', null, 42, { kty: 'EC', crv: 'P-384', x: 'a', y: 'b' }, { ...PAIRS.EdDSA.privateKey.export({ format: 'jwk' }) }];
        for (const publicKey of bad) {
          const error = await rejectsWith(() => createEmbedVerifier({ keys: [{ kid: 'k1', publicKey: publicKey as string }], ...at }), 'invalid_key');
          assert.match(error.message, /^keys\[0\]\.publicKey /);
          assert.ok(!error.message.includes('PRIVATE KEY-----\n'), 'no key material in the message');
        }
        await rejectsWith(() => createEmbedSigner({ privateKey: PAIRS.ES256.publicPem, kid: 'k1', ...at }), 'invalid_key');
        await rejectsWith(() => createEmbedSigner({ privateKey: rsa, kid: 'k1', ...at }), 'invalid_key');
      });

      test('a damaged key (valid PEM, broken inside) is invalid_key', async () => {
        const pem = PAIRS.ES256.publicPem.split('\n');
        const damaged = [pem[0], `${pem[1]!.slice(0, 30)}${pem[1]!.slice(30).replace(/[A-Z]/g, 'A')}`, ...pem.slice(2)].join('\n');
        const made = () => createEmbedVerifier({ keys: [{ kid: 'k1', publicKey: damaged }], ...at });
        // node:crypto reads keys synchronously (the construction throws); Web Crypto on first use.
        let verifier;
        try {
          verifier = made();
        } catch (error) {
          assert.equal((error as { code?: string }).code, 'invalid_key');
          return;
        }
        const token = forgeSigned(PAIRS.ES256, { alg: 'ES256', kid: 'k1' }, claimsAt(clock.seconds()));
        await rejectsWith(verifier.verify(token), 'invalid_key');
      });

      test('a public key needs a kid; a private-key signer needs one too; secret and privateKey together are a TypeError', async () => {
        await rejectsWith(() => createEmbedVerifier({ keys: [{ publicKey: PAIRS.ES256.publicPem } as unknown as EmbedKey], ...at }), 'invalid_key_id');
        await rejectsWith(() => createEmbedSigner({ privateKey: PAIRS.ES256.privatePem, ...at }), 'invalid_key_id');
        assert.throws(() => createEmbedSigner({ privateKey: PAIRS.ES256.privatePem, secret: SECRET, kid: 'k1', ...at }), TypeError);
        await assert.rejects(verifyEmbedToken('a.b.c', { jwksUrl: trapUrl, ...at }), TypeError);
      });
    });
  });
}

test('an ES256 token signed with an HMAC of the public key is never verified as HMAC (checked by hand)', async () => {
  // The classic confusion: an RS/ES key's PEM text used as an HS256 secret, here without a
  // jose or fixture helper in between, against the verifier made fresh for each entry.
  const pair = PAIRS.ES256;
  const input = `${b64url('{"alg":"HS256","kid":"k1","typ":"JWT"}')}.${b64url(JSON.stringify(claimsAt(Math.floor(T0 / 1000))))}`;
  const token = `${input}.${createHmac('sha256', pair.publicPem).update(input).digest('base64url')}`;
  for (const { verifyEmbedToken } of SERVER_APIS) {
    await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1', publicKey: pair.publicPem }], organization: ORGANIZATION, now: () => T0 }), 'token_algorithm', { token });
  }
});
