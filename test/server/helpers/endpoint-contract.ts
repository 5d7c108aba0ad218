/**
 * The token endpoint's wire contract (docs/token-endpoint.md), written once and run against every
 * implementation: TypeScript over the Fetch handler, `node:http` and Express 5 (in-process, fixed
 * clock), and the Python, Ruby and PHP examples (child processes, real clock). Everything here is
 * checked over HTTP only: every status and code in its order, locked values no body can change,
 * token reuse, the parity rules a port must get right (numbers written as JavaScript writes them,
 * lengths in UTF-16 code units, JSON's own grammar, the whole env bounded in UTF-8 bytes, lone
 * surrogates refused), and the invariants of every answer. Options only TypeScript has
 * (callbacks, custom signers) run when the target offers `serveHandler`.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importSPKI, jwtVerify } from 'jose';
import { createEmbedSigner } from '../../../src/server/index.js';
import type { EmbedRequest, TokenHandlerOptions } from '../../../src/server/index.js';
import type { ContractTarget, EndpointClient, SendOptions } from './endpoint-clients.js';
import { SERVER_APIS } from './server-apis.js';
import {
  DASHBOARD,
  EDDSA_KEY,
  ES256_KEY,
  ORGANIZATION,
  OTHER_DASHBOARD,
  SECRET,
  assertError,
  assertToken,
  twiceInOneWindow,
  type Answer,
  type TokenExpectations,
} from './endpoint-fixtures.js';

const RANGE = ['2014-02-11', '2015-02-11'];
/**
 * The largest env, as canonical JSON in UTF-8 bytes (TypeScript's MAX_ENV_JSON_BYTES), written out
 * as the document states it: the ports hard-code it too, so a change on one side fails here.
 */
const MAX_ENV_BYTES = 4_096;

/** The env's canonical JSON (keys sorted, as JSON.stringify writes it) in UTF-8 bytes. */
function envBytes(env: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1)))));
}

/** The refusal of an env of `bytes` bytes, word for word as the TypeScript endpoint writes it. */
function tooLargeMessage(bytes: number): string {
  return `env is ${bytes} bytes as JSON; at most ${MAX_ENV_BYTES} fit in a token that travels in a URL (pass ids and ranges, not data)`;
}

/** Registers the whole contract for one implementation. */
export function endpointContract(target: ContractTarget): void {
  describe(`token endpoint contract: ${target.name}`, () => {
    let client: EndpointClient;

    /** A browser-like POST: JSON, same origin, signed in as account 7 unless told otherwise. */
    function post(body: unknown, options: SendOptions = {}, to: EndpointClient = client): Promise<Answer> {
      return to.send({
        method: 'POST',
        body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
        ...options,
        headers: { 'content-type': 'application/json', origin: to.origin, cookie: 'session=acct-7', ...options.headers },
      });
    }

    /** A 200 with a token signed by the target's clock. */
    function token(answer: Answer, expected: TokenExpectations = {}) {
      return assertToken(answer, { now: target.now, ...expected });
    }

    before(async () => {
      client = await target.start();
    });
    after(() => target.stopAll());

    describe('200', () => {
      it('issues a token carrying the filters and the session\'s locked values', async () => {
        const { claims } = await token(await post({ dashboard: DASHBOARD, filters: { DATE_RANGE: RANGE, USER_ID: 1 } }));
        assert.equal(claims.organization, ORGANIZATION);
        assert.equal(claims.dashboard, DASHBOARD);
        assert.deepEqual(claims.env, { ACCT_ID: '7', DATE_RANGE: RANGE, USER_ID: '1' });
      });

      it('treats missing filters as none', async () => {
        const { claims } = await token(await post({ dashboard: OTHER_DASHBOARD }), { dashboard: OTHER_DASHBOARD });
        assert.deepEqual(claims.env, { ACCT_ID: '7' });
      });

      it('gives the identical token to two identical requests, whatever the key order', async () => {
        const [first, second] = await twiceInOneWindow(async () => [
          await token(await post({ dashboard: DASHBOARD, filters: { USER_ID: '3', DATE_RANGE: RANGE } })),
          await token(await post({ filters: { DATE_RANGE: RANGE, USER_ID: 3 }, dashboard: DASHBOARD })),
        ]);
        assert.equal(second!.token, first!.token);
      });

      it('takes the locked values from each request\'s own session', async () => {
        const { claims } = await token(await post({ dashboard: DASHBOARD }, { headers: { cookie: 'theme=dark; session=acct-42' } }));
        assert.equal(claims.env.ACCT_ID, '42');
      });

      it('accepts "application/json; charset=utf-8" and parameters in any case', async () => {
        for (const type of ['application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"', 'application/json; charset=utf8; q=1']) {
          await token(await post({ dashboard: DASHBOARD }, { headers: { 'content-type': type } }));
        }
      });

      it('signs with the configured ttl, iat rounded down to a tenth of it', async () => {
        const custom = await target.start({ ttl: 900 });
        const { claims } = await token(await post({ dashboard: DASHBOARD }, {}, custom), { ttl: 900 });
        assert.equal(claims.iat % 90, 0);
      });

      it('writes the signer\'s key id in the header, keys sorted', async () => {
        const custom = await target.start({ kid: '2025-06' });
        await token(await post({ dashboard: DASHBOARD }, {}, custom), { kid: '2025-06' });
      });

      it('fresh: true signs a token issued this second, past the reuse window, so not the token a plain request gets', async () => {
        const body = { dashboard: DASHBOARD, filters: { USER_ID: '1' } };
        const plain = await token(await post(body));
        const from = Math.floor(target.now() / 1000);
        const fresh = await token(await post({ ...body, fresh: true }), { issuedFrom: from });
        assert.deepEqual(fresh.claims.env, plain.claims.env);
        assert.equal(fresh.claims.exp, fresh.claims.iat + 86_400);
        // On a window boundary (the in-process endpoints' fixed clock is a round hour) both are
        // issued at the same second, so they are the same bytes; any other second, a new token.
        assert.equal(fresh.token === plain.token, fresh.claims.iat === plain.claims.iat);
      });

      it('fresh: false (or left out) is the plain request: the same token', async () => {
        const body = { dashboard: DASHBOARD, filters: { USER_ID: '1' } };
        const [plain, notFresh] = await twiceInOneWindow(async () => [await token(await post(body)), await token(await post({ ...body, fresh: false }))]);
        assert.equal(notFresh!.token, plain!.token);
      });

      it('answers a client with neither Origin nor Sec-Fetch-Site (curl, a server job)', async () => {
        await token(
          await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: { 'content-type': 'application/json', cookie: 'session=acct-7' } }),
        );
      });

      it('answers without Origin when Sec-Fetch-Site says same-origin or none', async () => {
        for (const site of ['same-origin', 'none']) {
          await token(
            await client.send({
              body: JSON.stringify({ dashboard: DASHBOARD }),
              headers: { 'content-type': 'application/json', cookie: 'session=acct-7', 'sec-fetch-site': site },
            }),
          );
        }
      });

      it('answers an origin listed in the allowed origins, in any case', async () => {
        const custom = await target.start({ allowedOrigins: ['https://app.example.com'] });
        await token(await post({ dashboard: DASHBOARD }, { headers: { origin: 'https://app.example.com' } }, custom));
        await token(await post({ dashboard: DASHBOARD }, { headers: { origin: 'HTTPS://App.Example.com' } }, custom));
      });

      it('reads a dashboard id written as 38727.0 or 3.8727e4 (JSON has one number type)', async () => {
        for (const text of ['{"dashboard":38727.0}', '{"dashboard":3.8727e4}']) {
          const { claims } = await token(await post(text));
          assert.equal(claims.dashboard, DASHBOARD);
        }
      });

      it('writes number filter values as JavaScript\'s String(n) does', async () => {
        const list = '[1,2.5,1e21,1e-7,-0,12345678901234567890,0.1,100,1.5e300,123e-20,-4.25,0.000001,9007199254740993]';
        const { claims } = await token(await post(`{"dashboard":38727,"filters":{"USER_ID":${list},"DATE_RANGE":1e2}}`));
        assert.deepEqual(claims.env.USER_ID, (JSON.parse(list) as number[]).map(String));
        assert.deepEqual(claims.env.USER_ID, [
          '1', '2.5', '1e+21', '1e-7', '0', '12345678901234567000', '0.1', '100', '1.5e+300', '1.23e-18', '-4.25', '0.000001', '9007199254740992',
        ]);
        assert.equal(claims.env.DATE_RANGE, '100');
      });

      it('carries any Unicode text, counting length in UTF-16 code units up to 1024', async () => {
        // One request each: together they would pass the 4,096-byte bound on the whole env.
        for (const values of [{ DATE_RANGE: ['é'.repeat(1024), 'Zürich \u2028 \u0001 "/\\'] }, { USER_ID: '😀'.repeat(512) }]) {
          const { claims } = await token(await post({ dashboard: DASHBOARD, filters: values }));
          assert.deepEqual(claims.env, { ACCT_ID: '7', ...values });
        }
      });

      it('accepts an env of exactly 4,096 bytes of canonical JSON, counted in UTF-8 bytes, locked values included', async () => {
        // "€" is 3 bytes in UTF-8 (6 as a \u20ac escape, 1 character) and "📊" 4 (2 UTF-16 units):
        // only the bytes JSON.stringify writes, as UTF-8, give exactly 4,096 here.
        const euros = '€'.repeat(1024);
        const fill = MAX_ENV_BYTES - envBytes({ ACCT_ID: '7', DATE_RANGE: euros, USER_ID: '📊' });
        const filters = { DATE_RANGE: euros, USER_ID: `📊${'x'.repeat(fill)}` };
        assert.equal(envBytes({ ACCT_ID: '7', ...filters }), MAX_ENV_BYTES);
        const { claims, url } = await token(await post({ dashboard: DASHBOARD, filters }));
        assert.deepEqual(claims.env, { ACCT_ID: '7', ...filters });
        assert.ok(url.length < 8_000, `the iframe URL is ${url.length} characters`);
      });

      it('accepts 256 list items and 64 variables in all', async () => {
        await token(await post({ dashboard: DASHBOARD, filters: { DATE_RANGE: Array.from({ length: 256 }, String) } }));
        const names = Array.from({ length: 63 }, (_, i) => `F${i}`);
        const custom = await target.start({ filters: names });
        const { claims } = await token(await post({ dashboard: DASHBOARD, filters: Object.fromEntries(names.map((name) => [name, '1'])) }, {}, custom));
        assert.equal(Object.keys(claims.env).length, 64);
      });
    });

    describe('ES256, signed with a private key (the hosts hold only the public key)', () => {
      let es256: EndpointClient;
      before(async () => {
        es256 = await target.start({ kid: ES256_KEY.kid, privateKey: ES256_KEY.privateKey });
      });

      it('issues an ES256 token the public key verifies, on both entries and with jose; the Embed Secret verifies none of it', async () => {
        const body = { dashboard: DASHBOARD, filters: { DATE_RANGE: RANGE, USER_ID: 1 } };
        const { token: issued, claims } = await token(await post(body, {}, es256), { kid: ES256_KEY.kid, publicKey: ES256_KEY.publicKey });
        assert.deepEqual(claims.env, { ACCT_ID: '7', DATE_RANGE: RANGE, USER_ID: '1' });
        assert.equal(Buffer.from(issued.split('.')[2]!, 'base64url').length, 64, 'r‖s, not DER');
        for (const api of SERVER_APIS) {
          const verified = await api.verifyEmbedToken(issued, { keys: [{ kid: ES256_KEY.kid, publicKey: ES256_KEY.publicKey }], organization: ORGANIZATION, now: target.now });
          assert.equal(verified.dashboard, DASHBOARD);
          await assert.rejects(api.verifyEmbedToken(issued, { keys: [{ kid: ES256_KEY.kid, secret: SECRET }], organization: ORGANIZATION, now: target.now }), { code: 'token_algorithm' });
        }
        const byJose = await jwtVerify(issued, await importSPKI(ES256_KEY.publicKey, 'ES256'), { currentDate: new Date(target.now()), algorithms: ['ES256'] });
        assert.equal(byJose.protectedHeader.kid, ES256_KEY.kid);
      });

      it('signs the same header.payload for the same request within one window (the signature is randomized), each signature valid', async () => {
        const body = { dashboard: DASHBOARD, filters: { USER_ID: '1' } };
        const issued = await twiceInOneWindow(async () => [
          await token(await post(body, {}, es256), { kid: ES256_KEY.kid, publicKey: ES256_KEY.publicKey }),
          await token(await post(body, {}, es256), { kid: ES256_KEY.kid, publicKey: ES256_KEY.publicKey }),
        ]);
        const signingInput = (text: string) => text.slice(0, text.lastIndexOf('.'));
        assert.equal(signingInput(issued[0]!.token), signingInput(issued[1]!.token));
      });
    });

    describe('EdDSA, signed with an Ed25519 private key (the hosts hold only the public key)', () => {
      let eddsa: EndpointClient;
      const expected = { kid: EDDSA_KEY.kid, publicKey: EDDSA_KEY.publicKey };
      before(async () => {
        eddsa = await target.start({ kid: EDDSA_KEY.kid, privateKey: EDDSA_KEY.privateKey });
      });

      it('issues an EdDSA token the public key verifies, on both entries and with jose; the Embed Secret verifies none of it', async () => {
        const body = { dashboard: DASHBOARD, filters: { DATE_RANGE: RANGE, USER_ID: 1 } };
        const { token: issued, claims } = await token(await post(body, {}, eddsa), expected);
        assert.deepEqual(claims.env, { ACCT_ID: '7', DATE_RANGE: RANGE, USER_ID: '1' });
        assert.equal(Buffer.from(issued.split('.')[2]!, 'base64url').length, 64, 'an Ed25519 signature is 64 bytes');
        for (const api of SERVER_APIS) {
          const verified = await api.verifyEmbedToken(issued, { keys: [{ kid: EDDSA_KEY.kid, publicKey: EDDSA_KEY.publicKey }], organization: ORGANIZATION, now: target.now });
          assert.equal(verified.dashboard, DASHBOARD);
          await assert.rejects(api.verifyEmbedToken(issued, { keys: [{ kid: EDDSA_KEY.kid, secret: SECRET }], organization: ORGANIZATION, now: target.now }), { code: 'token_algorithm' });
          // The ES256 key under the same kid: a key accepts its own algorithm only.
          await assert.rejects(api.verifyEmbedToken(issued, { keys: [{ kid: EDDSA_KEY.kid, publicKey: ES256_KEY.publicKey }], organization: ORGANIZATION, now: target.now }), { code: 'token_algorithm' });
        }
        const byJose = await jwtVerify(issued, await importSPKI(EDDSA_KEY.publicKey, 'EdDSA'), { currentDate: new Date(target.now()), algorithms: ['EdDSA'] });
        assert.equal(byJose.protectedHeader.kid, EDDSA_KEY.kid);
      });

      it('signs the byte-identical token for the same request within one window (Ed25519 is deterministic)', async () => {
        const body = { dashboard: DASHBOARD, filters: { USER_ID: '1' } };
        const issued = await twiceInOneWindow(async () => [await token(await post(body, {}, eddsa), expected), await token(await post(body, {}, eddsa), expected)]);
        assert.equal(issued[0]!.token, issued[1]!.token);
      });
    });

    describe('CORS, for an endpoint on another origin than the page', () => {
      const APP = 'https://app.example.com';
      const CORS = ['access-control-allow-origin', 'access-control-allow-credentials', 'vary'];
      let cors: EndpointClient;
      before(async () => {
        cors = await target.start({ allowedOrigins: [APP] });
      });

      function preflight(origin: string, to: EndpointClient = cors): Promise<Answer> {
        return to.send({
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      }

      /** The credentialed CORS headers for exactly `origin`. */
      function assertCors(answer: Answer, origin: string): void {
        assert.equal(answer.headers.get('access-control-allow-origin'), origin);
        assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
        assert.match(answer.headers.get('vary') ?? '', /(^|,\s*)Origin(\s*,|$)/i);
      }

      function assertNoCors(answer: Answer): void {
        for (const name of CORS) assert.equal(answer.headers.get(name), null, `${name} on ${answer.status}`);
      }

      it('answers a preflight from a listed origin: 204, that exact origin, credentials, POST and Content-Type', async () => {
        const answer = await preflight(APP);
        assert.equal(answer.status, 204, answer.text);
        assert.equal(answer.text, '');
        assertCors(answer, APP);
        assert.match(answer.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
        assert.match(answer.headers.get('access-control-allow-headers') ?? '', /\bcontent-type\b/i);
        assert.ok(Number(answer.headers.get('access-control-max-age')) > 0);
        assert.equal(answer.headers.get('cache-control'), 'no-store');
      });

      it('sends the CORS headers on every answer to a listed origin, errors included', async () => {
        assertCors((await token(await post({ dashboard: DASHBOARD }, { headers: { origin: APP } }, cors))).answer, APP);
        assertCors(await post({ dashboard: DASHBOARD }, { headers: { origin: APP, cookie: '' } }, cors), APP);
        assertCors(await post('{', { headers: { origin: APP } }, cors), APP);
        // The origin as browsers send it (lower case) is what is echoed, whatever case came in.
        assertCors(await post({ dashboard: 999 }, { headers: { origin: 'HTTPS://App.Example.com' } }, cors), APP);
      });

      it('gives an origin that is not listed none of them, and refuses it', async () => {
        for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com', 'null']) {
          const refused = await preflight(origin);
          assertError(refused, 403, 'origin_not_allowed');
          assertNoCors(refused);
          const posted = await post({ dashboard: DASHBOARD }, { headers: { origin } }, cors);
          assertError(posted, 403, 'origin_not_allowed');
          assertNoCors(posted);
        }
      });

      it('without allowed origins: no preflight (405) and no CORS headers at all', async () => {
        const refused = await preflight(client.origin, client);
        assertError(refused, 405, 'method_not_allowed');
        assert.equal(refused.headers.get('allow'), 'POST');
        assertNoCors(refused);
        assertNoCors((await token(await post({ dashboard: DASHBOARD }))).answer);
      });

      it('still answers other methods 405, naming OPTIONS among the allowed ones', async () => {
        const answer = await cors.send({ method: 'GET', headers: { origin: APP } });
        assertError(answer, 405, 'method_not_allowed');
        assert.equal(answer.headers.get('allow'), 'POST, OPTIONS');
        assertCors(answer, APP);
      });
    });

    describe('401 unauthenticated', () => {
      it('refuses a request without a session, or with a session id the server does not know', async () => {
        for (const cookie of ['', 'session=', 'session=forged', 'session=ACCT-7', 'other=acct-7']) {
          const message = assertError(await post({ dashboard: DASHBOARD }, { headers: { cookie } }), 401, 'unauthenticated');
          assert.match(message, /session|sign in/i);
        }
      });
    });

    describe('403', () => {
      it('dashboard_not_allowed: a dashboard off the allowlist, named in the message', async () => {
        const message = assertError(await post({ dashboard: 999 }), 403, 'dashboard_not_allowed');
        assert.match(message, /999/);
      });

      it('origin_not_allowed: another origin, named in the message', async () => {
        const message = assertError(await post({ dashboard: DASHBOARD }, { headers: { origin: 'https://evil.example' } }), 403, 'origin_not_allowed');
        assert.match(message, /evil\.example/);
      });

      it('origin_not_allowed: no Origin but Sec-Fetch-Site cross-site (or same-site)', async () => {
        for (const site of ['cross-site', 'same-site']) {
          assertError(
            await client.send({
              body: JSON.stringify({ dashboard: DASHBOARD }),
              headers: { 'content-type': 'application/json', cookie: 'session=acct-7', 'sec-fetch-site': site },
            }),
            403,
            'origin_not_allowed',
          );
        }
      });

      it('origin_not_allowed: "null" origins, and the own origin when allowed origins replace it', async () => {
        assertError(await post({ dashboard: DASHBOARD }, { headers: { origin: 'null' } }), 403, 'origin_not_allowed');
        const custom = await target.start({ allowedOrigins: ['https://app.example.com'] });
        assertError(await post({ dashboard: DASHBOARD }, {}, custom), 403, 'origin_not_allowed');
      });

      it('checks the origin before the session and the body', async () => {
        assertError(await post('{not json', { headers: { origin: 'https://evil.example', cookie: '' } }), 403, 'origin_not_allowed');
      });
    });

    describe('405, 415, 413', () => {
      it('405 method_not_allowed with Allow: POST for other methods', async () => {
        for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
          const answer = await client.send(method === 'GET' ? { method } : { method, body: '{}', headers: { 'content-type': 'application/json' } });
          assertError(answer, 405, 'method_not_allowed');
          assert.equal(answer.headers.get('allow'), 'POST');
        }
      });

      it('415 unsupported_media_type for other or missing content types and other charsets', async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/jsonx', '', ';']) {
          assertError(await post({ dashboard: DASHBOARD }, { headers: { 'content-type': type } }), 415, 'unsupported_media_type');
        }
        const bare = await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: { origin: client.origin, cookie: 'session=acct-7' } });
        assertError(bare, 415, 'unsupported_media_type');
      });

      it('413 body_too_large for a Content-Length over 16 KiB', async () => {
        const big = JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: 'x'.repeat(17 * 1024) } });
        const message = assertError(await post(big), 413, 'body_too_large');
        assert.match(message, /16384/);
      });

      it('413 body_too_large for a chunked body without Content-Length that grows past the bound', async () => {
        const piece = 'x'.repeat(4096);
        const chunks = ['{"dashboard":38727,"filters":{"USER_ID":"', piece, piece, piece, piece, piece, '"}}'];
        assertError(await post(undefined, { body: undefined, chunks }), 413, 'body_too_large');
      });

      it('reads a chunked body within the bound, and a body of exactly 16384 bytes', async () => {
        const chunks = ['{"dashboard":', '38727,"filters":', '{"USER_ID":"9"}}'];
        const { claims } = await token(await post(undefined, { body: undefined, chunks }));
        assert.equal(claims.env.USER_ID, '9');
        // JSON may end in whitespace: pad a small body to the bound exactly.
        const exact = JSON.stringify({ dashboard: DASHBOARD }).padEnd(16_384, ' ');
        await token(await post(exact));
        assertError(await post(`${exact} `), 413, 'body_too_large');
      });
    });

    describe('400', () => {
      it('invalid_json: broken, empty, not UTF-8, a BOM, or JavaScript values JSON lacks', async () => {
        assertError(await post('{"dashboard": 38727,'), 400, 'invalid_json');
        assertError(await post(''), 400, 'invalid_json');
        assertError(await post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'invalid_json');
        assertError(await post('\uFEFF{"dashboard":38727}'), 400, 'invalid_json');
        for (const text of ['{"dashboard":NaN}', '{"dashboard":38727,"filters":{"USER_ID":Infinity}}', "{'dashboard':38727}", '{"dashboard":38727,}']) {
          assertError(await post(text), 400, 'invalid_json');
        }
      });

      it('invalid_request: not an object, a bad dashboard, bad filters, unknown fields', async () => {
        const bodies: unknown[] = [
          [],
          'null',
          '"text"',
          '42',
          {},
          { dashboard: '38727' },
          { dashboard: 0 },
          { dashboard: -1 },
          { dashboard: 1.5 },
          { dashboard: 2 ** 60 },
          { dashboard: null },
          { dashboard: true },
          '{"dashboard":1e400}',
          { dashboard: DASHBOARD, filters: [] },
          { dashboard: DASHBOARD, filters: null },
          { dashboard: DASHBOARD, filters: 'DATE_RANGE' },
          { dashboard: DASHBOARD, filter: { USER_ID: '1' } },
          { dashboard: DASHBOARD, ACCT_ID: '9' },
          { dashboard: DASHBOARD, fresh: 'true' },
          { dashboard: DASHBOARD, fresh: 1 },
          { dashboard: DASHBOARD, fresh: null },
          '{"dashboard":38727,"__proto__":{"ACCT_ID":"9"}}',
        ];
        for (const body of bodies) assertError(await post(body), 400, 'invalid_request');
      });

      it('checks the body\'s shape before the session, and the session before the dashboard', async () => {
        assertError(await post({ dashboard: 'x' }, { headers: { cookie: '' } }), 400, 'invalid_request');
        assertError(await post({ dashboard: 999, filters: { REGION: 'eu' } }, { headers: { cookie: '' } }), 401, 'unauthenticated');
        assertError(await post({ dashboard: 999, filters: { REGION: 'eu' } }), 403, 'dashboard_not_allowed');
      });

      it('filter_not_allowed: any name outside filters, named in the message', async () => {
        const message = assertError(await post({ dashboard: DASHBOARD, filters: { REGION: 'eu' } }), 400, 'filter_not_allowed');
        assert.match(message, /REGION/);
        assert.match(message, /DATE_RANGE, USER_ID/);
      });

      it('filter_not_allowed: __proto__ and constructor are just unknown names', async () => {
        const bodies = [
          '{"dashboard":38727,"filters":{"__proto__":{"ACCT_ID":"9","polluted":"yes"}}}',
          '{"dashboard":38727,"filters":{"constructor":{"prototype":{"polluted":"yes"}}}}',
          '{"dashboard":38727,"filters":{"USER_ID":"1","__proto__":"9"}}',
        ];
        for (const body of bodies) {
          const message = assertError(await post(body), 400, 'filter_not_allowed');
          assert.match(message, /__proto__|constructor/);
        }
        // In-process, nothing may have reached Object.prototype either.
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(({} as Record<string, unknown>).ACCT_ID, undefined);
      });

      it('filter_locked: the browser may never send a locked name, and the name check runs before values', async () => {
        assertError(await post({ dashboard: DASHBOARD, filters: { ACCT_ID: '9' } }), 400, 'filter_locked');
        assertError(await post({ dashboard: DASHBOARD, filters: { USER_ID: '1', ACCT_ID: '7' } }), 400, 'filter_locked');
        const message = assertError(await post({ dashboard: DASHBOARD, filters: { USER_ID: null, ACCT_ID: ['9'] } }), 400, 'filter_locked');
        assert.match(message, /ACCT_ID/);
      });

      it('no variant of a locked name reaches the token: other cases, nesting, prototype keys', async () => {
        const attempts: Array<[unknown, string]> = [
          [{ dashboard: DASHBOARD, filters: { acct_id: '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { Acct_Id: '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { 'ACCT_ID ': '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { 'ACCT_ID\n': '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { USER_ID: { ACCT_ID: '9' } } }, 'invalid_filter_value'],
          [{ dashboard: DASHBOARD, filters: { DATE_RANGE: [{ ACCT_ID: '9' }] } }, 'invalid_filter_value'],
          ['{"dashboard":38727,"filters":{"__proto__":{"ACCT_ID":"9"}}}', 'filter_not_allowed'],
          ['{"dashboard":38727,"filters":{"ACCT_ID":"9","ACCT_ID":"9"}}', 'filter_locked'],
        ];
        for (const [body, code] of attempts) assertError(await post(body), 400, code);
        const { claims } = await token(await post({ dashboard: DASHBOARD, filters: { USER_ID: 'ACCT_ID=9' } }));
        assert.deepEqual(claims.env, { ACCT_ID: '7', USER_ID: 'ACCT_ID=9' });
      });

      it('invalid_filter_value: values that are not strings or lists of strings, naming the variable', async () => {
        const values: unknown[] = [null, true, false, {}, [[]], [null], [true], 'x'.repeat(1025), '😀'.repeat(513), Array.from({ length: 257 }, String)];
        for (const value of values) {
          const message = assertError(await post({ dashboard: DASHBOARD, filters: { USER_ID: value } }), 400, 'invalid_filter_value');
          assert.match(message, /USER_ID/);
        }
        for (const text of ['{"dashboard":38727,"filters":{"USER_ID":1e400}}', '{"dashboard":38727,"filters":{"USER_ID":[-1e400]}}']) {
          assertError(await post(text), 400, 'invalid_filter_value');
        }
      });

      it('invalid_filter_value: a lone surrogate, which is not text, naming the variable', async () => {
        // JSON text of USER_ID's value: lone high or low surrogates, in a list, or before an escape
        // or text that is not their other half (a parser must neither join nor drop them).
        const values = ['"a\\ud800"', '"\\udc00"', '"\\udc00\\ud800"', '"\\ud800\\u0041"', '"\\ud800abcdefgh"', '["ok", "\\uDBFFx"]', '"\\\\\\ud800"'];
        for (const value of values) {
          const message = assertError(await post(`{"dashboard":38727,"filters":{"USER_ID":${value}}}`), 400, 'invalid_filter_value');
          assert.equal(message, 'USER_ID: values must be well-formed Unicode text (a lone surrogate was found)', value);
        }
        // An escaped pair is one character, and an escaped backslash before "ud800" is just text.
        const { claims } = await token(await post('{"dashboard":38727,"filters":{"DATE_RANGE":"\\ud83d\\uDE00","USER_ID":"\\\\ud800"}}'));
        assert.deepEqual(claims.env, { ACCT_ID: '7', DATE_RANGE: '😀', USER_ID: '\\ud800' });
        // The rules before this one still answer first: names, then the length of the value.
        const name = assertError(await post('{"dashboard":38727,"filters":{"USER_ID":"\\ud800","\\ud800":"1"}}'), 400, 'filter_not_allowed');
        assert.match(name, /^"\?" is not a filter/);
        assertError(await post('{"dashboard":38727,"\\udc00":1}'), 400, 'invalid_request');
        const long = assertError(await post(`{"dashboard":38727,"filters":{"USER_ID":"${'x'.repeat(1024)}\\ud800"}}`), 400, 'invalid_filter_value');
        assert.equal(long, 'USER_ID: values may be at most 1024 characters, got 1025');
      });

      it('invalid_filter_value: filters too large in all to travel in a URL, though each value is within bounds', async () => {
        // 15 values of 1,000 characters: a 15 KB body under the 16 KiB bound, and a token no verifier would accept.
        const custom = await target.start({ filters: Array.from({ length: 15 }, (_, i) => `F${i}`) });
        const filters: Record<string, string> = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`F${i}`, 'x'.repeat(1_000)]));
        const message = assertError(await post({ dashboard: DASHBOARD, filters }, {}, custom), 400, 'invalid_filter_value');
        // The filters alone are measured first (the locked values are added after), in bytes.
        assert.equal(message, tooLargeMessage(envBytes(filters)));
        // Each value is checked before the whole: a bad one is named instead.
        const named = assertError(await post({ dashboard: DASHBOARD, filters: { ...filters, F9: 'x\ud800' } }, {}, custom), 400, 'invalid_filter_value');
        assert.match(named, /^F9: /);
      });

      it('invalid_filter_value: one byte over 4,096 once the locked values are added', async () => {
        const euros = '€'.repeat(1024);
        const fill = MAX_ENV_BYTES - envBytes({ ACCT_ID: '7', DATE_RANGE: euros, USER_ID: '' });
        const filters = { DATE_RANGE: euros, USER_ID: 'x'.repeat(fill + 1) };
        assert.ok(envBytes(filters) < MAX_ENV_BYTES, 'the filters alone fit');
        const message = assertError(await post({ dashboard: DASHBOARD, filters }), 400, 'invalid_filter_value');
        assert.equal(message, tooLargeMessage(MAX_ENV_BYTES + 1));
      });

      it('invalid_filter_value: more than 64 variables in all, the locked ones included', async () => {
        const names = Array.from({ length: 64 }, (_, i) => `F${i}`);
        const custom = await target.start({ filters: names });
        const filters = Object.fromEntries(names.map((name) => [name, '1']));
        const message = assertError(await post({ dashboard: DASHBOARD, filters }, {}, custom), 400, 'invalid_filter_value');
        assert.equal(message, 'env has 65 variables; at most 64 are allowed');
      });
    });

    it('serves many clients at once, each with its own session (no state leaks between requests)', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post({ dashboard: DASHBOARD, filters: { USER_ID: String(i) } }, { headers: { cookie: `session=acct-${i + 1}` } }),
        ),
      );
      for (const [i, answer] of answers.entries()) {
        const { claims } = await token(answer);
        assert.deepEqual(claims.env, { ACCT_ID: String(i + 1), USER_ID: String(i) });
      }
    });

    const serveHandler = target.serveHandler;
    if (serveHandler !== undefined) typescriptOptions(serveHandler, post, token);
  });
}

/** What only `createTokenHandler`'s options can set up: callbacks, decision functions, signers. */
function typescriptOptions(
  serveHandler: NonNullable<ContractTarget['serveHandler']>,
  post: (body: unknown, options?: SendOptions, to?: EndpointClient) => Promise<Answer>,
  token: (answer: Answer, expected?: TokenExpectations) => ReturnType<typeof assertToken>,
): void {
  describe('TypeScript options', () => {
    it('works without lockedEnv (nothing locked, no session needed)', async () => {
      const { client } = await serveHandler({ lockedEnv: undefined });
      const { claims } = await token(await post({ dashboard: DASHBOARD, filters: { USER_ID: '5' } }, { headers: { cookie: '' } }, client));
      assert.deepEqual(claims.env, { USER_ID: '5' });
    });

    it('lets a dashboards function decide, sync or async, and hands it the request', async () => {
      const seen: EmbedRequest[] = [];
      const sync = await serveHandler({ dashboards: (id, request) => (seen.push(request), id === 5) });
      await token(await post({ dashboard: 5 }, {}, sync.client), { dashboard: 5 });
      assert.equal(seen[0]?.method, 'POST');
      assert.match(seen[0]?.url ?? '', /\/api\/embed-token$/);
      assert.equal(seen[0]?.headers.get('Cookie'), 'session=acct-7');
      const async = await serveHandler({ dashboards: async (id) => id === 6 });
      await token(await post({ dashboard: 6 }, {}, async.client), { dashboard: 6 });
      const truthy = await serveHandler({ dashboards: () => 'yes' as unknown as boolean });
      assertError(await post({ dashboard: DASHBOARD }, {}, truthy.client), 403, 'dashboard_not_allowed');
    });

    it('refuses a locked name also listed in filters, and reports that configuration mistake once', async () => {
      const both = await serveHandler({ filters: ['ACCT_ID', 'USER_ID'] });
      const message = assertError(await post({ dashboard: DASHBOARD, filters: { ACCT_ID: '9' } }, {}, both.client), 400, 'filter_locked');
      assert.match(message, /ACCT_ID/);
      // The browser cannot set it, but the session still does.
      const { claims } = await token(await post({ dashboard: DASHBOARD, filters: { USER_ID: '1' } }, {}, both.client));
      assert.equal(claims.env.ACCT_ID, '7');
      await post({ dashboard: DASHBOARD }, {}, both.client);
      const reports = both.fixture.errors.map(({ error }) => String((error as Error).message));
      assert.equal(reports.filter((text) => text.includes('ACCT_ID')).length, 1);
    });

    it('500 internal_error hides an unexpected error (a lockedEnv that throws) and hands it to onError', async () => {
      const { client, fixture } = await serveHandler({});
      const message = assertError(await post({ dashboard: DASHBOARD }, { headers: { cookie: 'session=boom' } }, client), 500, 'internal_error');
      assert.doesNotMatch(message, /session store|hunter2/);
      assert.equal(fixture.errors.length, 1);
      assert.match(String((fixture.errors[0]?.error as Error).message), /session store unreachable/);
      assert.equal(fixture.errors[0]?.request.method, 'POST');
    });

    it('500 for a lockedEnv returning a bad env or nothing: the server\'s fault', async () => {
      for (const lockedEnv of [() => ({ ACCT_ID: { id: 1 } }), () => undefined, () => ({ acct: '1' })]) {
        const custom = await serveHandler({ lockedEnv: lockedEnv as unknown as TokenHandlerOptions['lockedEnv'] });
        assertError(await post({ dashboard: DASHBOARD }, {}, custom.client), 500, 'internal_error');
        assert.equal(custom.fixture.errors.length, 1);
      }
    });

    it('500 for a signer failure, keeping its message out', async () => {
      const signer = createEmbedSigner({
        secret: SECRET,
        organization: ORGANIZATION,
        baseUrl: () => {
          throw new Error(`config broken ${SECRET}`);
        },
      });
      const custom = await serveHandler({ signer });
      assertError(await post({ dashboard: DASHBOARD }, {}, custom.client), 500, 'internal_error');
      assert.equal(custom.fixture.errors.length, 1);
    });

    it('survives an onError that throws', async () => {
      const { client } = await serveHandler({
        onError: () => {
          throw new Error('logger down');
        },
      });
      assertError(await post({ dashboard: DASHBOARD }, { headers: { cookie: 'session=boom' } }, client), 500, 'internal_error');
    });
  });
}
