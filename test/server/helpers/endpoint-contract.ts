/**
 * The token endpoint's behaviour, written once and run over every transport (the Fetch handler
 * called directly, `toNodeHandler` under `node:http`, and in Express 5): every status and code,
 * locked values no body can change, token reuse, and the invariants of every answer.
 * @module
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEmbedSigner } from '../../../src/server/signer.js';
import type { EmbedRequest, TokenHandlerOptions } from '../../../src/server/types.js';
import type { EndpointClient, SendOptions, Transport } from './endpoint-clients.js';
import {
  DASHBOARD,
  NOW_MS,
  ORGANIZATION,
  OTHER_DASHBOARD,
  SECRET,
  assertError,
  assertToken,
  createFixture,
  now,
  type Answer,
  type Fixture,
} from './endpoint-fixtures.js';

const RANGE = ['2014-02-11', '2015-02-11'];

/** Registers the whole contract for one transport. */
export function endpointContract(transport: Transport): void {
  describe(`token endpoint contract through ${transport.name}`, () => {
    let fixture: Fixture;
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

    async function serve(overrides: Partial<TokenHandlerOptions>): Promise<{ client: EndpointClient; fixture: Fixture }> {
      const custom = createFixture(overrides);
      return { client: await transport.serve(custom.handler), fixture: custom };
    }

    before(async () => {
      fixture = createFixture();
      client = await transport.serve(fixture.handler);
    });
    after(() => transport.close());

    describe('200', () => {
      it('issues a token carrying the filters and the session\'s locked values', async () => {
        const { claims, expiresAt } = await assertToken(
          await post({ dashboard: DASHBOARD, filters: { DATE_RANGE: RANGE, USER_ID: 1 } }),
        );
        assert.equal(claims.organization, ORGANIZATION);
        assert.equal(claims.dashboard, DASHBOARD);
        assert.deepEqual(claims.env, { ACCT_ID: '7', DATE_RANGE: RANGE, USER_ID: '1' });
        assert.ok(claims.iat <= NOW_MS / 1000);
        assert.equal(expiresAt - claims.iat, 86_400);
      });

      it('treats missing filters as none', async () => {
        const { claims } = await assertToken(await post({ dashboard: OTHER_DASHBOARD }), OTHER_DASHBOARD);
        assert.deepEqual(claims.env, { ACCT_ID: '7' });
      });

      it('gives the identical token to two identical requests, whatever the key order', async () => {
        const first = await assertToken(await post({ dashboard: DASHBOARD, filters: { USER_ID: '3', DATE_RANGE: RANGE } }));
        const second = await assertToken(await post({ filters: { DATE_RANGE: RANGE, USER_ID: 3 }, dashboard: DASHBOARD }));
        assert.equal(second.token, first.token);
      });

      it('takes the locked values from each request\'s own session', async () => {
        const { claims } = await assertToken(await post({ dashboard: DASHBOARD }, { headers: { cookie: 'session=acct-42' } }));
        assert.equal(claims.env.ACCT_ID, '42');
      });

      it('accepts "application/json; charset=utf-8" and parameters in any case', async () => {
        for (const type of ['application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"']) {
          await assertToken(await post({ dashboard: DASHBOARD }, { headers: { 'content-type': type } }));
        }
      });

      it('signs with the endpoint\'s ttl when one is set', async () => {
        const custom = await serve({ ttl: 900 });
        const { claims } = await assertToken(await post({ dashboard: DASHBOARD }, {}, custom.client));
        assert.equal(claims.exp - claims.iat, 900);
      });

      it('works without lockedEnv (nothing locked, no session needed)', async () => {
        const custom = await serve({ lockedEnv: undefined });
        const { claims } = await assertToken(
          await post({ dashboard: DASHBOARD, filters: { USER_ID: '5' } }, { headers: { cookie: '' } }, custom.client),
        );
        assert.deepEqual(claims.env, { USER_ID: '5' });
      });

      it('answers a client with neither Origin nor Sec-Fetch-Site (curl, a server job)', async () => {
        await assertToken(
          await client.send({
            body: JSON.stringify({ dashboard: DASHBOARD }),
            headers: { 'content-type': 'application/json', cookie: 'session=acct-7' },
          }),
        );
      });

      it('answers without Origin when Sec-Fetch-Site says same-origin', async () => {
        await assertToken(
          await client.send({
            body: JSON.stringify({ dashboard: DASHBOARD }),
            headers: { 'content-type': 'application/json', cookie: 'session=acct-7', 'sec-fetch-site': 'same-origin' },
          }),
        );
      });

      it('answers an origin listed in allowedOrigins', async () => {
        const custom = await serve({ allowedOrigins: ['https://app.example.com'] });
        await assertToken(await post({ dashboard: DASHBOARD }, { headers: { origin: 'https://app.example.com' } }, custom.client));
      });

      it('lets a dashboards function decide, sync or async, and hands it the request', async () => {
        const seen: EmbedRequest[] = [];
        const sync = await serve({ dashboards: (id, request) => (seen.push(request), id === 5) });
        await assertToken(await post({ dashboard: 5 }, {}, sync.client), 5);
        assert.equal(seen[0]?.method, 'POST');
        assert.match(seen[0]?.url ?? '', /\/api\/embed-token$/);
        assert.equal(seen[0]?.headers.get('Cookie'), 'session=acct-7');
        const async = await serve({ dashboards: async (id) => id === 6 });
        await assertToken(await post({ dashboard: 6 }, {}, async.client), 6);
      });
    });

    describe('401 unauthenticated', () => {
      it('refuses a request without a session', async () => {
        const message = assertError(await post({ dashboard: DASHBOARD }, { headers: { cookie: '' } }), 401, 'unauthenticated');
        assert.match(message, /session|sign in/i);
      });
    });

    describe('403', () => {
      it('dashboard_not_allowed: a dashboard off the allowlist, named in the message', async () => {
        const message = assertError(await post({ dashboard: 999 }), 403, 'dashboard_not_allowed');
        assert.match(message, /999/);
      });

      it('dashboard_not_allowed: a dashboards function answering anything but true', async () => {
        const custom = await serve({ dashboards: () => 'yes' as unknown as boolean });
        assertError(await post({ dashboard: DASHBOARD }, {}, custom.client), 403, 'dashboard_not_allowed');
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

      it('origin_not_allowed: "null" origins, and the own origin when allowedOrigins replaces it', async () => {
        assertError(await post({ dashboard: DASHBOARD }, { headers: { origin: 'null' } }), 403, 'origin_not_allowed');
        const custom = await serve({ allowedOrigins: ['https://app.example.com'] });
        assertError(await post({ dashboard: DASHBOARD }, {}, custom.client), 403, 'origin_not_allowed');
      });

      it('checks the origin before the session and the body', async () => {
        assertError(
          await post('{not json', { headers: { origin: 'https://evil.example', cookie: '' } }),
          403,
          'origin_not_allowed',
        );
      });
    });

    describe('405, 415, 413', () => {
      it('405 method_not_allowed with Allow: POST for other methods', async () => {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const answer = await client.send(method === 'GET' ? { method } : { method, body: '{}', headers: { 'content-type': 'application/json' } });
          assertError(answer, 405, 'method_not_allowed');
          assert.equal(answer.headers.get('allow'), 'POST');
        }
      });

      it('415 unsupported_media_type for other or missing content types and other charsets', async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/jsonx']) {
          assertError(await post({ dashboard: DASHBOARD }, { headers: { 'content-type': type } }), 415, 'unsupported_media_type');
        }
        const bare = await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: { origin: client.origin, cookie: 'session=acct-7' } });
        assertError(bare, 415, 'unsupported_media_type');
      });

      it('413 body_too_large for a Content-Length over the bound', async () => {
        const big = JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: 'x'.repeat(17 * 1024) } });
        const message = assertError(await post(big), 413, 'body_too_large');
        assert.match(message, /16384/);
      });

      it('413 body_too_large for a chunked body without Content-Length that grows past the bound', async () => {
        const piece = 'x'.repeat(4096);
        const chunks = ['{"dashboard":38727,"filters":{"USER_ID":"', piece, piece, piece, piece, piece, '"}}'];
        assertError(await post(undefined, { body: undefined, chunks }), 413, 'body_too_large');
      });

      it('reads a chunked body within the bound', async () => {
        const chunks = ['{"dashboard":', '38727,"filters":', '{"USER_ID":"9"}}'];
        const { claims } = await assertToken(await post(undefined, { body: undefined, chunks }));
        assert.equal(claims.env.USER_ID, '9');
      });

      it('honours maxBodyBytes', async () => {
        const custom = await serve({ maxBodyBytes: 64 });
        await assertToken(await post({ dashboard: DASHBOARD }, {}, custom.client));
        assertError(await post({ dashboard: DASHBOARD, filters: { USER_ID: 'y'.repeat(64) } }, {}, custom.client), 413, 'body_too_large');
      });
    });

    describe('400', () => {
      it('invalid_json: broken, empty, or not UTF-8', async () => {
        assertError(await post('{"dashboard": 38727,'), 400, 'invalid_json');
        assertError(await post(''), 400, 'invalid_json');
        assertError(await post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 400, 'invalid_json');
        assertError(await post('\uFEFF{"dashboard":38727}'), 400, 'invalid_json');
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
          { dashboard: DASHBOARD, filters: [] },
          { dashboard: DASHBOARD, filters: null },
          { dashboard: DASHBOARD, filters: 'DATE_RANGE' },
          { dashboard: DASHBOARD, filter: { USER_ID: '1' } },
          { dashboard: DASHBOARD, ACCT_ID: '9' },
          '{"dashboard":38727,"__proto__":{"ACCT_ID":"9"}}',
        ];
        for (const body of bodies) {
          assertError(await post(body), 400, 'invalid_request');
        }
      });

      it('checks the body\'s shape before the session', async () => {
        assertError(await post({ dashboard: 'x' }, { headers: { cookie: '' } }), 400, 'invalid_request');
      });

      it('filter_not_allowed: any name outside filters, named in the message', async () => {
        const message = assertError(await post({ dashboard: DASHBOARD, filters: { REGION: 'eu' } }), 400, 'filter_not_allowed');
        assert.match(message, /REGION/);
        assert.match(message, /DATE_RANGE, USER_ID/);
      });

      it('filter_not_allowed: __proto__ and constructor are just unknown names, and pollute nothing', async () => {
        const bodies = [
          '{"dashboard":38727,"filters":{"__proto__":{"ACCT_ID":"9","polluted":"yes"}}}',
          '{"dashboard":38727,"filters":{"constructor":{"prototype":{"polluted":"yes"}}}}',
          '{"dashboard":38727,"filters":{"USER_ID":"1","__proto__":"9"}}',
        ];
        for (const body of bodies) {
          const message = assertError(await post(body), 400, 'filter_not_allowed');
          assert.match(message, /__proto__|constructor/);
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(({} as Record<string, unknown>).ACCT_ID, undefined);
        assert.equal(Object.getOwnPropertyNames(Object.prototype).includes('polluted'), false);
      });

      it('filter_locked: the browser may never send a locked name, even one also listed in filters', async () => {
        assertError(await post({ dashboard: DASHBOARD, filters: { ACCT_ID: '9' } }), 400, 'filter_locked');
        assertError(await post({ dashboard: DASHBOARD, filters: { USER_ID: '1', ACCT_ID: '7' } }), 400, 'filter_locked');
        const both = await serve({ filters: ['ACCT_ID', 'USER_ID'] });
        const message = assertError(await post({ dashboard: DASHBOARD, filters: { ACCT_ID: '9' } }, {}, both.client), 400, 'filter_locked');
        assert.match(message, /ACCT_ID/);
        // The browser cannot set it, but the session still does.
        const { claims } = await assertToken(await post({ dashboard: DASHBOARD, filters: { USER_ID: '1' } }, {}, both.client));
        assert.equal(claims.env.ACCT_ID, '7');
        // The configuration mistake was reported to onError once, however many requests.
        await post({ dashboard: DASHBOARD }, {}, both.client);
        const reports = both.fixture.errors.map(({ error }) => String((error as Error).message));
        assert.equal(reports.filter((message) => message.includes('ACCT_ID')).length, 1);
      });

      it('no variant of a locked name reaches the token: other cases, nesting, prototype keys', async () => {
        const attempts: Array<[unknown, string]> = [
          [{ dashboard: DASHBOARD, filters: { acct_id: '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { Acct_Id: '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { 'ACCT_ID ': '9' } }, 'filter_not_allowed'],
          [{ dashboard: DASHBOARD, filters: { USER_ID: { ACCT_ID: '9' } } }, 'invalid_filter_value'],
          [{ dashboard: DASHBOARD, filters: { DATE_RANGE: [{ ACCT_ID: '9' }] } }, 'invalid_filter_value'],
          ['{"dashboard":38727,"filters":{"__proto__":{"ACCT_ID":"9"}}}', 'filter_not_allowed'],
          ['{"dashboard":38727,"filters":{"ACCT_ID":"9","ACCT_ID":"9"}}', 'filter_locked'],
        ];
        for (const [body, code] of attempts) assertError(await post(body), 400, code);
        const { claims } = await assertToken(await post({ dashboard: DASHBOARD, filters: { USER_ID: 'ACCT_ID=9' } }));
        assert.deepEqual(claims.env, { ACCT_ID: '7', USER_ID: 'ACCT_ID=9' });
      });

      it('invalid_filter_value: values that are not strings or lists of strings, naming the variable', async () => {
        const values: unknown[] = [null, true, {}, [[]], [null], 'x'.repeat(1025)];
        for (const value of values) {
          const message = assertError(await post({ dashboard: DASHBOARD, filters: { USER_ID: value } }), 400, 'invalid_filter_value');
          assert.match(message, /USER_ID/);
        }
      });

      it('invalid_filter_value: a lone surrogate, which is not text', async () => {
        assert.match(assertError(await post('{"dashboard":38727,"filters":{"USER_ID":"a\\ud800"}}'), 400, 'invalid_filter_value'), /USER_ID/);
      });

      it('invalid_filter_value: filters too large in all to travel in a URL, though each value is within bounds', async () => {
        // 15 values of 1,000 characters: a 15 KB body under the 16 KiB bound, and a token no verifier would accept.
        const custom = await serve({ filters: Array.from({ length: 15 }, (_, i) => `F${i}`) });
        const filters = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`F${i}`, 'x'.repeat(1_000)]));
        const message = assertError(await post({ dashboard: DASHBOARD, filters }, {}, custom.client), 400, 'invalid_filter_value');
        assert.match(message, /fit in a token that travels in a URL/);
      });

      it('invalid_filter_value: a signer refusal the client caused (too many variables in all)', async () => {
        const names = Array.from({ length: 64 }, (_, i) => `F${i}`);
        const custom = await serve({ filters: names });
        const filters = Object.fromEntries(names.map((name) => [name, '1']));
        assertError(await post({ dashboard: DASHBOARD, filters }, {}, custom.client), 400, 'invalid_filter_value');
      });
    });

    describe('500 internal_error', () => {
      it('hides an unexpected error (a lockedEnv that throws) and hands it to onError', async () => {
        const before = fixture.errors.length;
        const message = assertError(await post({ dashboard: DASHBOARD }, { headers: { cookie: 'session=boom' } }), 500, 'internal_error');
        assert.doesNotMatch(message, /session store|hunter2/);
        const reported = fixture.errors.slice(before);
        assert.equal(reported.length, 1);
        assert.match(String((reported[0]?.error as Error).message), /session store unreachable/);
        assert.equal(reported[0]?.request.method, 'POST');
      });

      it('treats a lockedEnv returning a bad env or nothing as the server\'s fault', async () => {
        for (const lockedEnv of [() => ({ ACCT_ID: { id: 1 } }), () => undefined, () => ({ acct: '1' })]) {
          const custom = await serve({ lockedEnv: lockedEnv as unknown as TokenHandlerOptions['lockedEnv'] });
          assertError(await post({ dashboard: DASHBOARD }, {}, custom.client), 500, 'internal_error');
          assert.equal(custom.fixture.errors.length, 1);
        }
      });

      it('maps a signer failure that is not the client\'s to 500, keeping the message out', async () => {
        const signer = createEmbedSigner({
          secret: SECRET,
          organization: ORGANIZATION,
          now,
          baseUrl: () => {
            throw new Error(`config broken ${SECRET}`);
          },
        });
        const custom = await serve({ signer });
        const answer = await post({ dashboard: DASHBOARD }, {}, custom.client);
        assertError(answer, 500, 'internal_error');
        assert.equal(custom.fixture.errors.length, 1);
      });

      it('survives an onError that throws', async () => {
        const custom = await serve({
          onError: () => {
            throw new Error('logger down');
          },
        });
        assertError(await post({ dashboard: DASHBOARD }, { headers: { cookie: 'session=boom' } }, custom.client), 500, 'internal_error');
      });
    });

    it('a handler made once serves many clients independently (no state leaks between requests)', async () => {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post({ dashboard: DASHBOARD, filters: { USER_ID: String(i) } }, { headers: { cookie: `session=acct-${i + 1}` } }),
        ),
      );
      for (const [i, answer] of answers.entries()) {
        const { claims } = await assertToken(answer);
        assert.deepEqual(claims.env, { ACCT_ID: String(i + 1), USER_ID: String(i) });
      }
    });
  });
}
