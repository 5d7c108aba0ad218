/**
 * A verifier with a `jwksUrl`, against a real local HTTP server publishing a JWKS: keys fetched
 * when a token names one not seen, at most once a minute (the test moves the clock; nothing
 * sleeps), one fetch shared by concurrent tokens, the keys last fetched kept while the server is
 * down, a withdrawn key dropped by the background refresh, and entries that are not signing keys
 * skipped. Both entries (Web Crypto and node:crypto).
 * @module
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { listenLocal } from '../launchers/listen-local.js';
import { forgeSigned, keyPair } from './helpers/key-pairs.js';
import { SERVER_APIS } from './helpers/server-apis.js';
import { ORGANIZATION, T0, claimsAt, manualClock, rejectsWith } from './helpers/signer-fixtures.js';

const ES = keyPair('ES256');
const ED = keyPair('EdDSA');
const NEXT = keyPair('ES256');

/** What the server publishes now, and every request it got. */
let published: unknown = { keys: [] };
let status = 200;
const requests: string[] = [];
const authorizations: (string | undefined)[] = [];
let server: Server;
let url = '';
let port = 0;

async function listen(): Promise<void> {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    authorizations.push(request.headers.authorization);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(published));
  });
  // Back on the port it had, after a test stopped it: the keys' URL stays the same.
  ({ port } = await listenLocal(server, port));
}

async function stop(): Promise<void> {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}

before(async () => {
  await listen();
  url = `http://user:pass@127.0.0.1:${port}/.well-known/jwks.json?tenant=secret-query`;
});
after(async () => {
  if (server.listening) await stop();
});

for (const { name, createEmbedVerifier } of SERVER_APIS) {
  describe(name, () => {
    test('fetched on an unknown kid, at most once a minute; a known kid never waits for the server', async () => {
      const clock = manualClock(T0);
      const problems: string[] = [];
      const verifier = createEmbedVerifier({ jwksUrl: url, organization: ORGANIZATION, now: clock.now, onJwksProblem: (message) => problems.push(message) });
      published = { keys: [{ ...ES.publicJwk, kid: 'es-1', use: 'sig', alg: 'ES256' }, { ...ED.publicJwk, kid: 'ed-1' }] };
      requests.length = 0;
      const es = forgeSigned(ES, { alg: 'ES256', kid: 'es-1', typ: 'JWT' }, claimsAt(clock.seconds()));
      const ed = forgeSigned(ED, { alg: 'EdDSA', kid: 'ed-1', typ: 'JWT' }, claimsAt(clock.seconds()));
      // Two tokens at once, neither key known yet: one fetch for both.
      const [a, b] = await Promise.all([verifier.verify(es), verifier.verify(ed)]);
      assert.equal(a.organization, ORGANIZATION);
      assert.equal(b.organization, ORGANIZATION);
      assert.deepEqual(requests, ['/.well-known/jwks.json?tenant=secret-query']);
      assert.equal(authorizations.at(-1), `Basic ${Buffer.from('user:pass').toString('base64')}`, "the URL's credentials are sent as Basic authorization");
      // Known keys: no request at all.
      for (let i = 0; i < 5; i++) await verifier.verify(es);
      assert.equal(requests.length, 1);

      // A new key appears; a token naming it within the minute is refused without asking.
      published = { keys: [{ ...ES.publicJwk, kid: 'es-1' }, { ...NEXT.publicJwk, kid: 'es-2' }] };
      clock.advance(59_000);
      const next = forgeSigned(NEXT, { alg: 'ES256', kid: 'es-2', typ: 'JWT' }, claimsAt(clock.seconds()));
      const early = await rejectsWith(verifier.verify(next), 'token_key_unknown', { token: next });
      assert.match(early.message, /"es-2" is not one of this verifier's keys \(it has key ids "es-1", "ed-1"\)/);
      const unknownStorm = forgeSigned(NEXT, { alg: 'ES256', kid: 'made-up', typ: 'JWT' }, claimsAt(clock.seconds()));
      for (let i = 0; i < 10; i++) await rejectsWith(verifier.verify(unknownStorm), 'token_key_unknown');
      assert.equal(requests.length, 1, 'no fetch within a minute of the last');
      // A minute after the last fetch: fetched again, the new key accepted, the withdrawn one gone.
      clock.advance(1_000);
      assert.equal((await verifier.verify(next)).organization, ORGANIZATION);
      assert.equal(requests.length, 2);
      const edAgain = forgeSigned(ED, { alg: 'EdDSA', kid: 'ed-1', typ: 'JWT' }, claimsAt(clock.seconds()));
      await rejectsWith(verifier.verify(edAgain), 'token_key_unknown', { token: edAgain });
      assert.deepEqual(problems, []);
    });

    test('while the server is down the keys fetched before stay in use; the failure is told once per attempt, without the URL\'s credentials or query', async () => {
      const clock = manualClock(T0);
      const problems: string[] = [];
      const verifier = createEmbedVerifier({ jwksUrl: url, organization: ORGANIZATION, now: clock.now, onJwksProblem: (message) => problems.push(message) });
      published = { keys: [{ ...ES.publicJwk, kid: 'es-1' }] };
      const es = () => forgeSigned(ES, { alg: 'ES256', kid: 'es-1', typ: 'JWT' }, claimsAt(clock.seconds()));
      await verifier.verify(es());
      await stop();
      try {
        // Past the background refresh age: the unknown kid waits for that one fetch, which fails.
        clock.advance(11 * 60_000);
        const unknown = forgeSigned(NEXT, { alg: 'ES256', kid: 'es-9', typ: 'JWT' }, claimsAt(clock.seconds()));
        const error = await rejectsWith(verifier.verify(unknown), 'token_key_unknown', { token: unknown });
        assert.match(error.message, /the JWKS at http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json could not be fetched/);
        assert.equal(problems.length, 1);
        for (const text of [error.message, ...problems]) {
          assert.ok(!text.includes('pass') && !text.includes('secret-query'), 'neither the credentials nor the query are shown');
        }
        // The key fetched before still verifies, and nothing is tried again within the minute.
        for (let i = 0; i < 3; i++) assert.equal((await verifier.verify(es())).organization, ORGANIZATION);
        await rejectsWith(verifier.verify(unknown), 'token_key_unknown', { token: unknown });
        assert.equal(problems.length, 1);
      } finally {
        await listen();
      }
    });

    test('a withdrawn key stops being accepted once the keys are ten minutes old (background refresh)', async () => {
      const clock = manualClock(T0);
      const verifier = createEmbedVerifier({ jwksUrl: url, organization: ORGANIZATION, now: clock.now });
      published = { keys: [{ ...ES.publicJwk, kid: 'es-1' }, { ...NEXT.publicJwk, kid: 'es-2' }] };
      const token = () => forgeSigned(ES, { alg: 'ES256', kid: 'es-1', typ: 'JWT' }, claimsAt(clock.seconds()));
      await verifier.verify(token());
      published = { keys: [{ ...NEXT.publicJwk, kid: 'es-2' }] };
      requests.length = 0;
      clock.advance(10 * 60_000);
      // This token still verifies with the key it names (nothing waits), and starts the refresh…
      await verifier.verify(token());
      // …which an unknown kid joins rather than starting another; afterwards es-1 is gone.
      const unknown = forgeSigned(NEXT, { alg: 'ES256', kid: 'es-3', typ: 'JWT' }, claimsAt(clock.seconds()));
      await rejectsWith(verifier.verify(unknown), 'token_key_unknown');
      await rejectsWith(verifier.verify(token()), 'token_key_unknown');
      assert.equal(requests.length, 1);
    });

    test('entries that are not ES256 or EdDSA signing keys with a kid are skipped; a bad document keeps the old keys', async () => {
      const clock = manualClock(T0);
      const problems: string[] = [];
      const verifier = createEmbedVerifier({ jwksUrl: url, organization: ORGANIZATION, now: clock.now, onJwksProblem: (message) => problems.push(message) });
      published = {
        keys: [
          { ...ES.publicJwk }, // no kid
          { ...ES.publicJwk, kid: 'enc', use: 'enc' },
          { kty: 'RSA', kid: 'rsa', n: 'AQAB', e: 'AQAB' },
          { ...ES.publicJwk, kid: 'wrong-alg', alg: 'EdDSA' },
          { ...ES.privateKey.export({ format: 'jwk' }), kid: 'private' },
          { ...ES.publicJwk, kid: 'good' },
        ],
      };
      const good = forgeSigned(ES, { alg: 'ES256', kid: 'good', typ: 'JWT' }, claimsAt(clock.seconds()));
      await verifier.verify(good);
      for (const kid of ['enc', 'rsa', 'wrong-alg', 'private']) {
        const token = forgeSigned(ES, { alg: 'ES256', kid, typ: 'JWT' }, claimsAt(clock.seconds()));
        await rejectsWith(verifier.verify(token), 'token_key_unknown');
      }
      assert.equal(problems.length, 5, problems.join('\n'));
      const privatePart = String(ES.privateKey.export({ format: 'jwk' }).d);
      assert.ok(problems.every((line) => !line.includes(privatePart)), 'no private key material in a problem line');
      assert.ok(problems.some((line) => /key "private" is a private JWK/.test(line)));
      // A document that is not a JWKS, or an error status: the keys stay.
      for (const [answer, code] of [[{ nope: true }, 200], ['not json', 200], [{ keys: [] }, 500]] as const) {
        published = answer;
        status = code;
        clock.advance(60_000);
        const unknown = forgeSigned(ES, { alg: 'ES256', kid: 'x', typ: 'JWT' }, claimsAt(clock.seconds()));
        await rejectsWith(verifier.verify(unknown), 'token_key_unknown');
        assert.equal((await verifier.verify(good)).organization, ORGANIZATION);
      }
      status = 200;
    });

    test('jwksUrl beside configured keys: the configured key wins on a shared kid; a bad URL is a TypeError at construction', async () => {
      const clock = manualClock(T0);
      published = { keys: [{ ...NEXT.publicJwk, kid: 'shared' }] };
      const verifier = createEmbedVerifier({ keys: [{ kid: 'shared', publicKey: ES.publicPem }], jwksUrl: url, organization: ORGANIZATION, now: clock.now });
      await verifier.verify(forgeSigned(ES, { alg: 'ES256', kid: 'shared', typ: 'JWT' }, claimsAt(clock.seconds())));
      await rejectsWith(verifier.verify(forgeSigned(NEXT, { alg: 'ES256', kid: 'shared', typ: 'JWT' }, claimsAt(clock.seconds()))), 'token_signature');
      for (const bad of ['not a url', 'ftp://example.com/jwks', 42]) {
        assert.throws(() => createEmbedVerifier({ jwksUrl: bad as string, organization: ORGANIZATION }), TypeError);
      }
    });
  });
}
