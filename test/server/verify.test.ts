/**
 * verifyEmbedToken against tokens signed by our signer, by jose and by hand: any changed byte
 * is refused, and each known attack gets its own test and its own error code.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SignJWT, generateKeyPair } from 'jose';
import { EmbedError, type VerifyOptions } from '../../src/server/index.js';
import { SERVER_APIS } from './helpers/server-apis.js';
import {
  DASHBOARD,
  ORGANIZATION,
  OTHER_SECRET,
  SECRET,
  T0,
  b64url,
  claimsAt,
  forgeToken,
  manualClock,
  rejectsWith,
} from './helpers/signer-fixtures.js';

for (const { name, createEmbedSigner, verifyEmbedToken } of SERVER_APIS) {
describe(name, () => {
  const HS256 = { alg: 'HS256', typ: 'JWT' };
  const clock = manualClock(T0 + 30 * 60_000);
  const NOW = clock.seconds();
  const options: VerifyOptions = { secret: SECRET, organization: ORGANIZATION, dashboard: DASHBOARD, now: clock.now };
  const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  async function ourToken(): Promise<string> {
    const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, ttl: 3_600, now: clock.now });
    return (await signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] } })).token;
  }

  describe('accepts', () => {
    test('our own token, and one forged by hand with the same claims', async () => {
      const token = await ourToken();
      const claims = await verifyEmbedToken(token, options);
      assert.equal(claims.organization, ORGANIZATION);
      assert.equal(claims.dashboard, DASHBOARD);
      const byHand = forgeToken(HS256, claimsAt(NOW), SECRET);
      assert.deepEqual(await verifyEmbedToken(byHand, options), claimsAt(NOW));
    });

    test('the secret as a string, bytes or an imported CryptoKey; dashboard optional', async () => {
      const token = await ourToken();
      const bytes = new TextEncoder().encode(SECRET);
      const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      for (const secret of [SECRET, bytes, key]) {
        await verifyEmbedToken(token, { secret, organization: ORGANIZATION, now: clock.now });
      }
    });

    test('claims a little off by clock skew, within the tolerance', async () => {
      await verifyEmbedToken(forgeToken(HS256, claimsAt(NOW, { iat: NOW + 20, exp: NOW + 600 }), SECRET), options);
      await verifyEmbedToken(forgeToken(HS256, claimsAt(NOW, { iat: NOW - 600, exp: NOW - 20 }), SECRET), options);
    });

    test('env keys in any order, and come back sorted', async () => {
      const token = forgeToken(HS256, claimsAt(NOW, { env: { USER_ID: '7', ACCT_ID: '1' } }), SECRET);
      const { env } = await verifyEmbedToken(token, options);
      assert.deepEqual(Object.keys(env), ['ACCT_ID', 'USER_ID']);
    });
  });

  describe('tampering', () => {
    test('property: any change to any character of a token is refused', async () => {
      const token = await ourToken();
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: token.length - 1 }),
          fc.constantFrom(...`${BASE64URL}.=+/ `),
          async (position, replacement) => {
            fc.pre(token[position] !== replacement);
            const tampered = token.slice(0, position) + replacement + token.slice(position + 1);
            await assert.rejects(verifyEmbedToken(tampered, options), EmbedError);
          },
        ),
        { numRuns: 600 },
      );
    });

    test('every other last character of the signature is refused (base64url\'s unused bits)', async () => {
      const token = await ourToken();
      for (const last of BASE64URL) {
        if (last === token.at(-1)) continue;
        await rejectsWith(verifyEmbedToken(token.slice(0, -1) + last, options), 'token_signature', { token });
      }
    });

    test('a character added, removed, or a part swapped in from another valid token', async () => {
      const token = await ourToken();
      const other = forgeToken(HS256, claimsAt(NOW, { dashboard: DASHBOARD + 1 }), SECRET);
      const [header, , signature] = token.split('.');
      const variants = [token.slice(1), token.slice(0, -1), `${token}A`, `A${token}`, `${header}.${other.split('.')[1]}.${signature}`];
      for (const variant of variants) await assert.rejects(verifyEmbedToken(variant, options), EmbedError);
    });
  });

  describe('attacks, each refused with its code', () => {
    test('alg none, unsigned or with a signature part', async () => {
      for (const alg of ['none', 'None', 'NONE']) {
        const unsigned = `${b64url(JSON.stringify({ alg, typ: 'JWT' }))}.${b64url(JSON.stringify(claimsAt(NOW)))}.`;
        await rejectsWith(verifyEmbedToken(unsigned, options), 'token_algorithm', { token: unsigned });
        const withSignature = `${unsigned}c2lnbmF0dXJl`;
        await rejectsWith(verifyEmbedToken(withSignature, options), 'token_algorithm', { token: withSignature });
      }
    });

    test('HS384 and HS512, signed with the right secret', async () => {
      for (const [alg, hash] of [['HS384', 'sha384'], ['HS512', 'sha512']] as const) {
        const byHand = forgeToken({ alg, typ: 'JWT' }, claimsAt(NOW), SECRET, hash);
        const error = await rejectsWith(verifyEmbedToken(byHand, options), 'token_algorithm', { token: byHand });
        assert.match(error.message, new RegExp(`"${alg}".*only HS256`));
        const byJose = await new SignJWT(claimsAt(NOW)).setProtectedHeader({ alg }).sign(new TextEncoder().encode(SECRET));
        await rejectsWith(verifyEmbedToken(byJose, options), 'token_algorithm', { token: byJose });
      }
    });

    test('an RS256 header (a real RSA signature)', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      const token = await new SignJWT(claimsAt(NOW)).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(privateKey);
      await rejectsWith(verifyEmbedToken(token, options), 'token_algorithm', { token });
      const es = `${b64url('{"alg":"ES256"}')}.${b64url(JSON.stringify(claimsAt(NOW)))}.${'A'.repeat(86)}`;
      await rejectsWith(verifyEmbedToken(es, options), 'token_algorithm', { token: es });
    });

    test('another organization\'s secret', async () => {
      const token = forgeToken(HS256, claimsAt(NOW), OTHER_SECRET);
      await rejectsWith(verifyEmbedToken(token, options), 'token_signature', { token });
    });

    test('another organization id, signed with this secret', async () => {
      const token = forgeToken(HS256, claimsAt(NOW, { organization: 99 }), SECRET);
      const error = await rejectsWith(verifyEmbedToken(token, options), 'token_organization', { token });
      assert.match(error.message, /organization 99, not 16417/);
    });

    test('another dashboard', async () => {
      const token = forgeToken(HS256, claimsAt(NOW, { dashboard: DASHBOARD + 1 }), SECRET);
      await rejectsWith(verifyEmbedToken(token, options), 'token_dashboard', { token });
      await verifyEmbedToken(token, { ...options, dashboard: undefined });
    });

    test('expired, beyond the clock tolerance', async () => {
      const token = await ourToken();
      const { exp } = await verifyEmbedToken(token, options);
      const later = { ...options, now: () => (exp + 31) * 1000 };
      const error = await rejectsWith(verifyEmbedToken(token, later), 'token_expired', { token });
      assert.ok(error.message.includes(new Date(exp * 1000).toISOString()), 'the message says when');
      assert.match(error.message, /sign a new one/);
      await verifyEmbedToken(token, { ...options, now: () => (exp + 29) * 1000 }); // within 30 s
      await rejectsWith(verifyEmbedToken(token, { ...later, clockTolerance: 0, now: () => exp * 1000 }), 'token_expired');
    });

    test('exp more than 24 h after iat', async () => {
      const token = forgeToken(HS256, claimsAt(NOW, { exp: NOW + 86_401 }), SECRET);
      await rejectsWith(verifyEmbedToken(token, options), 'token_lifetime', { token });
      await verifyEmbedToken(forgeToken(HS256, claimsAt(NOW, { exp: NOW + 86_400 }), SECRET), options);
    });

    test('issued more than 24 h ago (and still unexpired), or expiring before it was issued', async () => {
      const old = forgeToken(HS256, claimsAt(NOW, { iat: NOW - 86_400 - 120, exp: NOW + 60 }), SECRET);
      await rejectsWith(verifyEmbedToken(old, options), 'token_lifetime', { token: old });
      const backwards = forgeToken(HS256, claimsAt(NOW, { iat: NOW + 10, exp: NOW + 5 }), SECRET);
      await rejectsWith(verifyEmbedToken(backwards, options), 'token_lifetime', { token: backwards });
    });

    test('iat in the future beyond the tolerance', async () => {
      const token = forgeToken(HS256, claimsAt(NOW, { iat: NOW + 120, exp: NOW + 900 }), SECRET);
      const error = await rejectsWith(verifyEmbedToken(token, options), 'token_claims', { token });
      assert.match(error.message, /future/);
    });

    test('missing exp, missing iat, and ones that are not numbers', async () => {
      for (const overrides of [{ exp: undefined }, { iat: undefined }, { exp: String(NOW + 60) }, { iat: null }]) {
        const token = forgeToken(HS256, claimsAt(NOW, overrides), SECRET);
        const error = await rejectsWith(verifyEmbedToken(token, options), 'token_claims', { token });
        assert.match(error.message, /"(exp|iat)"/);
      }
    });

    test('an nbf in the future', async () => {
      const token = forgeToken(HS256, claimsAt(NOW, { nbf: NOW + 600 }), SECRET);
      await rejectsWith(verifyEmbedToken(token, options), 'token_claims', { token });
    });

    test('env of a wrong shape, or missing', async () => {
      const wrong: unknown[] = [
        { ACCT_ID: 1 }, // a number: a signed token carries strings
        { ACCT_ID: ['1', 2] },
        { acct_id: '1' },
        { ACCT_ID: { $ne: '' } },
        { ACCT_ID: null },
        ['ACCT_ID'],
        'ACCT_ID=1',
        null,
        undefined,
      ];
      for (const env of wrong) {
        const token = forgeToken(HS256, claimsAt(NOW, { env }), SECRET);
        await rejectsWith(verifyEmbedToken(token, options), 'token_claims', { token });
      }
      const proto = forgeToken(HS256, `{"organization":${ORGANIZATION},"dashboard":${DASHBOARD},"env":{"__proto__":{"ACCT_ID":"2"}},"iat":${NOW},"exp":${NOW + 60}}`, SECRET);
      await rejectsWith(verifyEmbedToken(proto, options), 'token_claims', { token: proto });
    });

    test('organization or dashboard of the wrong type', async () => {
      for (const overrides of [{ organization: String(ORGANIZATION) }, { dashboard: String(DASHBOARD) }, { dashboard: -1 }, { organization: undefined }]) {
        const token = forgeToken(HS256, claimsAt(NOW, overrides), SECRET);
        await rejectsWith(verifyEmbedToken(token, options), 'token_claims', { token });
      }
    });

    test('malformed tokens', async () => {
      const garbage: unknown[] = ['', 'abc', 'a.b', 'a.b.c.d', 'é.é.é', '<script>.a.b', 'x'.repeat(20_000), 42, null, undefined];
      for (const token of garbage) await rejectsWith(verifyEmbedToken(token as string, options), 'token_malformed');
      const notJsonHeader = `${b64url('not json')}.${b64url(JSON.stringify(claimsAt(NOW)))}.c2ln`;
      await rejectsWith(verifyEmbedToken(notJsonHeader, options), 'token_malformed');
      const notJsonPayload = forgeToken(HS256, 'not json', SECRET);
      await rejectsWith(verifyEmbedToken(notJsonPayload, options), 'token_malformed');
      const arrayPayload = forgeToken(HS256, '[1,2]', SECRET);
      await rejectsWith(verifyEmbedToken(arrayPayload, options), 'token_malformed');
      const unknownCrit = forgeToken({ ...HS256, crit: ['x-custom'], 'x-custom': 1 }, claimsAt(NOW), SECRET);
      await rejectsWith(verifyEmbedToken(unknownCrit, options), 'token_malformed');
    });
  });

  describe('options', () => {
    test('a short, missing or wrong secret is refused before any token is read', async () => {
      const token = await ourToken();
      await rejectsWith(verifyEmbedToken(token, { ...options, secret: 'x'.repeat(31) }), 'secret_too_short');
      await rejectsWith(verifyEmbedToken(token, { ...options, secret: new Uint8Array(8) }), 'secret_too_short');
      await rejectsWith(verifyEmbedToken(token, { ...options, secret: undefined as never }), 'secret_too_short');
      const shortKey = await crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      await rejectsWith(verifyEmbedToken(token, { ...options, secret: shortKey }), 'secret_too_short');
      const wrongHash = await crypto.subtle.importKey('raw', new Uint8Array(64), { name: 'HMAC', hash: 'SHA-512' }, false, ['verify']);
      await assert.rejects(verifyEmbedToken(token, { ...options, secret: wrongHash }), TypeError);
    });

    test('bad organization, dashboard, clockTolerance or clock', async () => {
      const token = await ourToken();
      await rejectsWith(verifyEmbedToken(token, { ...options, organization: 0 }), 'invalid_organization');
      await rejectsWith(verifyEmbedToken(token, { ...options, dashboard: 1.5 }), 'invalid_dashboard');
      await assert.rejects(verifyEmbedToken(token, { ...options, clockTolerance: -1 }), TypeError);
      await assert.rejects(verifyEmbedToken(token, { ...options, now: 5 as never }), TypeError);
    });
  });
});
}
