/**
 * Key ids and rotation, on both entries (Web Crypto and node:crypto): a signer's `kid` in the
 * header, a verifier's ring of `keys`, tokens without a `kid` checked with the keys that have
 * none, `token_key_unknown`, `createEmbedVerifier` checking its keys at construction, and a
 * rotation walked through end to end: accept [old, new] → signers switch → drop old.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EmbedKey } from '../../src/server/index.js';
import { cachedKeySource } from '../../src/server/token/key-ring.js';
import { WEB_CRYPTO } from '../../src/server/token/web-crypto.js';
import { NODE_CRYPTO } from '../../src/server/node/node-crypto.js';
import { SERVER_APIS } from './helpers/server-apis.js';
import { DASHBOARD, ORGANIZATION, OTHER_SECRET, SECRET, T0, claimsAt, forgeToken, manualClock, rejectsWith } from './helpers/signer-fixtures.js';

const NEW_SECRET = 'the-new-embed-secret-after-rotation-0123456789';

function headerOf(token: string): string {
  return Buffer.from(token.split('.')[0]!, 'base64url').toString();
}

for (const { name, createEmbedSigner, createEmbedVerifier, verifyEmbedToken } of SERVER_APIS) {
  describe(name, () => {
    const clock = manualClock(T0 + 10 * 60_000);
    const at = { organization: ORGANIZATION, now: clock.now };

    describe('a signer\'s kid', () => {
      test('is written in the header, keys sorted; without one the header is the plain one', async () => {
        const withKid = await createEmbedSigner({ secret: SECRET, kid: '2025-06', ...at }).sign({ dashboard: DASHBOARD });
        assert.equal(headerOf(withKid.token), '{"alg":"HS256","kid":"2025-06","typ":"JWT"}');
        const without = await createEmbedSigner({ secret: SECRET, ...at }).sign({ dashboard: DASHBOARD });
        assert.equal(headerOf(without.token), '{"alg":"HS256","typ":"JWT"}');
        assert.equal(createEmbedSigner({ secret: SECRET, kid: 'k1', ...at }).kid, 'k1');
      });

      test('invalid_key_id: empty, too long, or with a space, quote, backslash or non-ASCII character', async () => {
        for (const kid of ['', 'x'.repeat(65), 'a b', 'a"b', 'a\\b', 'é', 'a\nb', 7]) {
          await rejectsWith(() => createEmbedSigner({ secret: SECRET, kid: kid as string, ...at }), 'invalid_key_id');
        }
      });
    });

    describe('a verifier\'s keys', () => {
      test('a token naming a kid is checked with that key only', async () => {
        const token = await createEmbedSigner({ secret: NEW_SECRET, kid: 'new', ...at }).sign({ dashboard: DASHBOARD });
        const keys: EmbedKey[] = [{ secret: SECRET }, { kid: 'new', secret: NEW_SECRET }];
        assert.equal((await verifyEmbedToken(token.token, { keys, ...at })).dashboard, DASHBOARD);
        // The same kid with another secret: a signature failure, not a search through the other keys.
        const mislabelled = await createEmbedSigner({ secret: SECRET, kid: 'new', ...at }).sign({ dashboard: DASHBOARD });
        await rejectsWith(verifyEmbedToken(mislabelled.token, { keys, ...at }), 'token_signature', { token: mislabelled.token });
      });

      test('a token without a kid is tried against every key without one, and only those', async () => {
        const older = 'an-even-older-embed-secret-0123456789abcdef';
        const keys: EmbedKey[] = [{ secret: older }, { secret: SECRET }, { kid: 'other', secret: OTHER_SECRET }];
        for (const secret of [older, SECRET]) {
          const { token } = await createEmbedSigner({ secret, ...at }).sign({ dashboard: DASHBOARD });
          await verifyEmbedToken(token, { keys, ...at });
        }
        const { token } = await createEmbedSigner({ secret: OTHER_SECRET, ...at }).sign({ dashboard: DASHBOARD });
        await rejectsWith(verifyEmbedToken(token, { keys, ...at }), 'token_signature', { token, secrets: [SECRET, OTHER_SECRET, older] });
      });

      test('token_key_unknown: a kid the ring lacks, named in the message with the ids it has', async () => {
        const { token } = await createEmbedSigner({ secret: NEW_SECRET, kid: 'k9', ...at }).sign({ dashboard: DASHBOARD });
        const error = await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1', secret: SECRET }, { secret: OTHER_SECRET }], ...at }), 'token_key_unknown', { token });
        assert.match(error.message, /"k9" is not one of this verifier's keys \(it has key id "k1" and a key without one\)/);
        // A verifier with one secret has one key without an id: a kid is unknown to it.
        await rejectsWith(verifyEmbedToken(token, { secret: NEW_SECRET, ...at }), 'token_key_unknown', { token });
      });

      test('token_key_unknown: no kid, and every key has one', async () => {
        const { token } = await createEmbedSigner({ secret: SECRET, ...at }).sign({ dashboard: DASHBOARD });
        const error = await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1', secret: SECRET }], ...at }), 'token_key_unknown', { token });
        assert.match(error.message, /no key id \(kid\)/);
      });

      test('a kid from the token is shown short and printable; a kid that is not a string is malformed', async () => {
        const odd = forgeToken({ alg: 'HS256', kid: `\u001b[31m${'z'.repeat(100)}`, typ: 'JWT' }, claimsAt(clock.seconds()), SECRET);
        const error = await rejectsWith(verifyEmbedToken(odd, { secret: SECRET, ...at }), 'token_key_unknown', { token: odd });
        assert.doesNotMatch(error.message, /[\u0000-\u001f]/);
        assert.ok(!error.message.includes('z'.repeat(65)));
        for (const kid of [7, null, ['k1'], { id: 'k1' }]) {
          const token = forgeToken({ alg: 'HS256', kid, typ: 'JWT' }, claimsAt(clock.seconds()), SECRET);
          await rejectsWith(verifyEmbedToken(token, { secret: SECRET, ...at }), 'token_malformed', { token });
        }
      });

      test('the algorithm is checked before the key: HS512 with an unknown kid is token_algorithm', async () => {
        const token = forgeToken({ alg: 'HS512', kid: 'nope' }, claimsAt(clock.seconds()), SECRET, 'sha512');
        await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1', secret: SECRET }], ...at }), 'token_algorithm', { token });
      });

      test('bad rings are refused before any token is read', async () => {
        const { token } = await createEmbedSigner({ secret: SECRET, ...at }).sign({ dashboard: DASHBOARD });
        await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1', secret: SECRET }, { kid: 'k1', secret: NEW_SECRET }], ...at }), 'invalid_key_id');
        await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'a b', secret: SECRET }], ...at }), 'invalid_key_id');
        await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1', secret: 'short' }], ...at }), 'secret_too_short');
        await rejectsWith(verifyEmbedToken(token, { keys: [{ kid: 'k1' } as EmbedKey], ...at }), 'secret_too_short');
        await assert.rejects(verifyEmbedToken(token, { keys: [], ...at }), TypeError);
        await assert.rejects(verifyEmbedToken(token, { keys: 'k1' as never, ...at }), TypeError);
        await assert.rejects(verifyEmbedToken(token, { secret: SECRET, keys: [{ secret: SECRET }], ...at } as never), TypeError);
      });
    });

    describe('createEmbedVerifier', () => {
      test('checks its keys and options at construction, synchronously', async () => {
        await rejectsWith(() => createEmbedVerifier({ secret: 'x'.repeat(31), ...at }), 'secret_too_short');
        await rejectsWith(() => createEmbedVerifier({ secret: undefined as never, ...at }), 'secret_too_short');
        await rejectsWith(() => createEmbedVerifier({ keys: [{ kid: 'k', secret: SECRET }, { kid: 'k', secret: NEW_SECRET }], ...at }), 'invalid_key_id');
        await rejectsWith(() => createEmbedVerifier({ secret: SECRET, organization: 0 }), 'invalid_organization');
        assert.throws(() => createEmbedVerifier({ secret: SECRET, ...at, clockTolerance: -1 }), TypeError);
        assert.throws(() => createEmbedVerifier(undefined as never), TypeError);
      });

      test('verifies with the dashboard given per call, and copies the secret it was given', async () => {
        const bytes = new TextEncoder().encode(SECRET);
        const verifier = createEmbedVerifier({ secret: bytes, ...at });
        bytes.fill(0);
        assert.equal(verifier.organization, ORGANIZATION);
        const { token } = await createEmbedSigner({ secret: SECRET, ...at }).sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1' } });
        assert.deepEqual((await verifier.verify(token, { dashboard: DASHBOARD })).env, { ACCT_ID: '1' });
        assert.equal((await verifier.verify(token)).dashboard, DASHBOARD);
        await rejectsWith(verifier.verify(token, { dashboard: DASHBOARD + 1 }), 'token_dashboard', { token });
        await rejectsWith(verifier.verify(token, { dashboard: 0 }), 'invalid_dashboard');
        await rejectsWith(verifier.verify('not.a.token'), 'token_malformed');
      });

      test('accepts an imported CryptoKey, and refuses one for another hash', async () => {
        const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
        const { token } = await createEmbedSigner({ secret: SECRET, ...at }).sign({ dashboard: DASHBOARD });
        await createEmbedVerifier({ keys: [{ kid: 'k', secret: NEW_SECRET }, { secret: key }], ...at }).verify(token);
        const wrong = await crypto.subtle.importKey('raw', new Uint8Array(64), { name: 'HMAC', hash: 'SHA-512' }, false, ['verify']);
        assert.throws(() => createEmbedVerifier({ secret: wrong, ...at }), TypeError);
      });
    });

    test('a rotation, walked through: accept [old, new] → signers switch to new → drop old; every dashboard keeps working', async () => {
      const walk = manualClock(T0);
      const now = walk.now;
      // Three embedded dashboards, each holding the token its page last got (900 s lifetimes).
      const dashboards = [DASHBOARD, DASHBOARD + 1, DASHBOARD + 2];
      let signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, ttl: 900, now });
      let host = createEmbedVerifier({ secret: SECRET, organization: ORGANIZATION, now });
      const held = new Map<number, string>();
      /** Each page re-signs a token it no longer has or that expired, then the host serves them all. */
      async function everyDashboardWorks(): Promise<void> {
        for (const dashboard of dashboards) {
          const token = held.get(dashboard);
          const expired = token === undefined || JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp * 1000 <= now();
          if (expired) held.set(dashboard, (await signer.sign({ dashboard, env: { ACCT_ID: '1' } })).token);
          assert.equal((await host.verify(held.get(dashboard)!, { dashboard })).dashboard, dashboard);
        }
      }
      await everyDashboardWorks();
      const before = [...held.values()];

      // 1. The hosts learn the new key, with an id; tokens without one are still checked with the old.
      host = createEmbedVerifier({ keys: [{ secret: SECRET }, { kid: '2025-06', secret: NEW_SECRET }], organization: ORGANIZATION, now });
      await everyDashboardWorks();
      walk.advance(60_000);

      // 2. The signers switch to the new key. Tokens already out (old key, no kid) still verify.
      signer = createEmbedSigner({ secret: NEW_SECRET, kid: '2025-06', organization: ORGANIZATION, ttl: 900, now });
      held.delete(DASHBOARD); // one page reloads at once
      await everyDashboardWorks();
      assert.equal(headerOf(held.get(DASHBOARD)!), '{"alg":"HS256","kid":"2025-06","typ":"JWT"}');
      assert.ok(before.slice(1).every((token, i) => held.get(dashboards[i + 1]!) === token), 'old tokens are still being served');

      // The old tokens expire; every page has a new-key token by then.
      walk.advance(900_000);
      await everyDashboardWorks();
      assert.ok([...held.values()].every((token) => headerOf(token).includes('"kid":"2025-06"')));

      // 3. The hosts drop the old key. Every dashboard still works; an old token is now unknown.
      host = createEmbedVerifier({ keys: [{ kid: '2025-06', secret: NEW_SECRET }], organization: ORGANIZATION, now, clockTolerance: 0 });
      await everyDashboardWorks();
      const leftover = await createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now }).sign({ dashboard: DASHBOARD });
      await rejectsWith(host.verify(leftover.token), 'token_key_unknown', { token: leftover.token, secrets: [SECRET, NEW_SECRET] });
    });
  });
}

describe('keys for verifyEmbedToken are imported once per secret', () => {
  for (const crypto of [WEB_CRYPTO, NODE_CRYPTO]) {
    test(crypto.name, () => {
      const keyOf = cachedKeySource(crypto, 'verify');
      assert.equal(keyOf(SECRET), keyOf(SECRET));
      const bytes = new TextEncoder().encode(SECRET);
      assert.equal(keyOf(bytes), keyOf(bytes));
      assert.notEqual(keyOf(new TextEncoder().encode(SECRET)), keyOf(bytes), 'bytes by identity');
      assert.throws(() => keyOf('short'), /32/);
    });
  }
});
