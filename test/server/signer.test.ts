/**
 * createEmbedSigner against the real jose verifier: round trips, canonical bytes, token reuse
 * in time (with an injected clock), every error code, and the bounded reuse memo.
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { decodeProtectedHeader } from 'jose';
import { MAX_ENV_JSON_BYTES, MAX_ENV_VALUE_LENGTH, MAX_TOKEN_LENGTH, MAX_TTL_SECONDS, isCompactJws, normalizeEnv } from '../../src/protocol/index.js';
import { DEFAULT_REUSE_MEMO_SIZE } from '../../src/server/token/reuse-memo.js';
import { reuseWindowSeconds } from '../../src/server/token/reuse-window.js';
import type { EmbedClaims, EmbedSignerOptions } from '../../src/server/index.js';
import { SERVER_APIS } from './helpers/server-apis.js';
import { DASHBOARD, ORGANIZATION, SECRET, T0, b64url, manualClock, rejectsWith } from './helpers/signer-fixtures.js';

const ENV = { ACCT_ID: '1', DATE_RANGE: ['2014-02-11', '2015-02-11'] };

for (const { name, createEmbedSigner, verifyEmbedToken } of SERVER_APIS) {
describe(name, () => {
  function signerAt(clock: { now: () => number }, options: Partial<EmbedSignerOptions> = {}) {
    return createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now: clock.now, ...options });
  }

  function payloadOf(token: string): Record<string, unknown> {
    return JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
  }

  /** Hidden Variable maps as a host app would pass them: strings, lists, and numbers. */
  const envArbitrary = fc.dictionary(
    fc.stringMatching(/^[A-Z][A-Z0-9_]{0,15}$/),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
    ),
    { maxKeys: 8 },
  );

  describe('round trip', () => {
    test('the token verifies with the real verifier and carries exactly the five claims', async () => {
      const clock = manualClock(T0 + 1234_567);
      const { token, expiresAt, url } = await signerAt(clock, { ttl: 900 }).sign({ dashboard: DASHBOARD, env: ENV });
      assert.equal(url, undefined);
      assert.equal(token.split('.')[0], b64url('{"alg":"HS256","typ":"JWT"}'), 'the header bytes are exactly these');
      assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' });
      const payload = payloadOf(token);
      assert.deepEqual(Object.keys(payload), ['organization', 'dashboard', 'env', 'iat', 'exp']);
      const claims = await verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION, dashboard: DASHBOARD, now: clock.now });
      assert.deepEqual(claims, { organization: ORGANIZATION, dashboard: DASHBOARD, env: ENV, iat: payload.iat, exp: payload.exp });
      assert.equal(expiresAt, claims.exp);
      assert.equal(claims.exp - claims.iat, 900);
    });

    test('the default lifetime is 24 h', async () => {
      const clock = manualClock(T0);
      const { expiresAt } = await signerAt(clock).sign({ dashboard: DASHBOARD });
      assert.equal(expiresAt, clock.seconds() + MAX_TTL_SECONDS);
      assert.deepEqual(payloadOf((await signerAt(clock).sign({ dashboard: DASHBOARD })).token).env, {}, 'no env is an empty env');
    });

    test('property: any valid env map survives sign → verify, numbers as strings, keys sorted', async () => {
      const clock = manualClock(T0 + 5_000);
      const signer = signerAt(clock, { ttl: 600 });
      await fc.assert(
        fc.asyncProperty(envArbitrary, async (env) => {
          const { token } = await signer.sign({ dashboard: DASHBOARD, env });
          const claims = await verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION, now: clock.now });
          const expected = normalizeEnv(env);
          assert.ok(expected.ok);
          assert.deepEqual(claims.env, expected.env);
          assert.deepEqual(Object.keys(payloadOf(token).env as object), Object.keys(env).sort());
        }),
        { numRuns: 150 },
      );
    });

    test('property: key order never changes the token, even across separate signers (no memo involved)', async () => {
      const clock = manualClock(T0 + 77_000);
      await fc.assert(
        fc.asyncProperty(envArbitrary, fc.integer({ min: 1, max: MAX_TTL_SECONDS }), async (env, ttl) => {
          const reversed = Object.fromEntries(Object.entries(env).reverse());
          const a = await signerAt(clock).sign({ dashboard: DASHBOARD, env, ttl });
          const b = await signerAt(clock).sign({ dashboard: DASHBOARD, env: reversed, ttl });
          assert.equal(a.token, b.token);
        }),
        { numRuns: 100 },
      );
    });

    test('numbers become strings, as the seed\'s str(v)', async () => {
      const { token } = await signerAt(manualClock(T0)).sign({ dashboard: DASHBOARD, env: { ACCT_ID: 1, IDS: [2, '3'], RATE: 0.5 } });
      assert.deepEqual(payloadOf(token).env, { ACCT_ID: '1', IDS: ['2', '3'], RATE: '0.5' });
    });

    test('a string secret and its UTF-8 bytes sign the same token; later changes to the bytes do not matter', async () => {
      const clock = manualClock(T0);
      const bytes = new TextEncoder().encode(SECRET);
      const fromBytes = signerAt(clock, { secret: bytes });
      bytes.fill(0); // the signer copied the secret at construction
      const buffer = Buffer.from(SECRET); // Buffer#slice() returns a view: the copy must not rely on it
      const fromBuffer = signerAt(clock, { secret: buffer });
      buffer.fill(0);
      const a = await fromBytes.sign({ dashboard: DASHBOARD, env: ENV });
      const b = await signerAt(clock).sign({ dashboard: DASHBOARD, env: ENV });
      const c = await fromBuffer.sign({ dashboard: DASHBOARD, env: ENV });
      assert.equal(a.token, b.token);
      assert.equal(c.token, b.token);
    });

    test('the url is built from a {dashboard} template or a function', async () => {
      const clock = manualClock(T0);
      const fromTemplate = await signerAt(clock, { baseUrl: 'https://dash.example.com/d/{dashboard}' }).sign({ dashboard: DASHBOARD });
      assert.equal(fromTemplate.url, `https://dash.example.com/d/${DASHBOARD}/?embed_token=${fromTemplate.token}`);
      const fromFunction = await signerAt(clock, { baseUrl: (id) => `http://127.0.0.1:8080/embed/${id}/` }).sign({ dashboard: 7 });
      assert.equal(fromFunction.url, `http://127.0.0.1:8080/embed/7/?embed_token=${fromFunction.token}`);
      assert.equal(new URL(fromFunction.url).searchParams.get('embed_token'), fromFunction.token);
    });
  });

  describe('token reuse', () => {
    test('the window is a tenth of the ttl, 1 s … 1 h', () => {
      assert.equal(reuseWindowSeconds(86_400), 3_600);
      assert.equal(reuseWindowSeconds(36_000), 3_600);
      assert.equal(reuseWindowSeconds(900), 90);
      assert.equal(reuseWindowSeconds(19), 1);
      assert.equal(reuseWindowSeconds(1), 1);
    });

    test('identical inside the window, a new token after it (24 h tokens, 1 h window)', async () => {
      const clock = manualClock(T0 + 60_000); // one minute into an hour window
      const signer = signerAt(clock);
      const first = await signer.sign({ dashboard: DASHBOARD, env: ENV });
      clock.advance(58 * 60_000); // 59 minutes in: same window
      const again = await signerAt(clock).sign({ dashboard: DASHBOARD, env: { DATE_RANGE: ENV.DATE_RANGE, ACCT_ID: '1' } });
      assert.equal(again.token, first.token, 'a fresh signer (no memo) gives the same bytes');
      assert.equal(payloadOf(first.token).iat, T0 / 1000);
      clock.advance(60_000); // the next hour
      const next = await signer.sign({ dashboard: DASHBOARD, env: ENV });
      assert.notEqual(next.token, first.token);
      assert.equal(payloadOf(next.token).iat, T0 / 1000 + 3_600);
      assert.equal(next.expiresAt, T0 / 1000 + 3_600 + 86_400);
    });

    test('property: iat is at most one window old and the remaining lifetime never below ttl − W', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: MAX_TTL_SECONDS }),
          fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }),
          async (ttl, nowMs) => {
            const { token, expiresAt } = await signerAt({ now: () => nowMs }, { ttl }).sign({ dashboard: DASHBOARD });
            const { iat, exp } = payloadOf(token) as unknown as EmbedClaims;
            const nowSeconds = Math.floor(nowMs / 1000);
            const window = reuseWindowSeconds(ttl);
            assert.equal(exp, iat + ttl);
            assert.equal(expiresAt, exp);
            assert.ok(iat <= nowSeconds && nowSeconds - iat < window);
            assert.ok(exp - nowSeconds > ttl - window);
            assert.equal(iat % window, 0);
          },
        ),
        { numRuns: 200 },
      );
    });

    test('different dashboards, env values and ttls give different tokens', async () => {
      const signer = signerAt(manualClock(T0));
      const tokens = await Promise.all([
        signer.sign({ dashboard: DASHBOARD, env: ENV }),
        signer.sign({ dashboard: DASHBOARD + 1, env: ENV }),
        signer.sign({ dashboard: DASHBOARD, env: { ...ENV, ACCT_ID: '2' } }),
        signer.sign({ dashboard: DASHBOARD, env: ENV, ttl: 900 }),
      ]);
      assert.equal(new Set(tokens.map((t) => t.token)).size, 4);
    });

    test('fresh: issued this second (not the window\'s start), never from the memo, and the same bytes within that second', async () => {
      const clock = manualClock(T0 + 123_456);
      const claims: EmbedClaims[] = [];
      const signer = signerAt(clock, { onSign: (signed) => claims.push(signed) });
      const plain = await signer.sign({ dashboard: DASHBOARD, env: ENV });
      const fresh = await signer.sign({ dashboard: DASHBOARD, env: ENV, fresh: true });
      const again = await signer.sign({ dashboard: DASHBOARD, env: ENV, fresh: true });
      assert.notEqual(fresh.token, plain.token);
      assert.equal(again.token, fresh.token, 'HMAC of the same bytes');
      assert.equal(payloadOf(fresh.token).iat, T0 / 1000 + 123);
      assert.equal(fresh.expiresAt, T0 / 1000 + 123 + MAX_TTL_SECONDS);
      assert.deepEqual(claims.map((signed) => signed.iat), [T0 / 1000, T0 / 1000 + 123, T0 / 1000 + 123], 'each fresh sign is signed');
      assert.equal((await signer.sign({ dashboard: DASHBOARD, env: ENV })).token, plain.token, 'a plain sign still reuses');
      assert.ok(await verifyEmbedToken(fresh.token, { secret: SECRET, organization: ORGANIZATION, dashboard: DASHBOARD, now: clock.now }));
    });

    test('concurrent identical signs share one promise and one signature', async () => {
      let signed = 0;
      const signer = signerAt(manualClock(T0), { onSign: () => signed++ });
      const a = signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: '2' } });
      const b = signer.sign({ dashboard: DASHBOARD, env: { USER_ID: 2, ACCT_ID: 1 } });
      assert.equal(a, b);
      await Promise.all([a, b]);
      assert.equal(signed, 1);
      assert.ok(Object.isFrozen(await a), 'a shared answer cannot be changed by one caller');
    });

    test('the memo is bounded: after N + 1 distinct payloads the first is signed again', async () => {
      const signed: string[] = [];
      const signer = signerAt(manualClock(T0), { onSign: (claims) => signed.push(claims.env.USER_ID as string) });
      const payload = (i: number) => ({ dashboard: DASHBOARD, env: { USER_ID: String(i) } });
      const first = await signer.sign(payload(0));
      for (let i = 1; i < DEFAULT_REUSE_MEMO_SIZE; i++) await signer.sign(payload(i));
      assert.equal(signed.length, DEFAULT_REUSE_MEMO_SIZE);
      await signer.sign(payload(0)); // a hit: nothing signed, and 0 becomes the most recent
      assert.equal(signed.length, DEFAULT_REUSE_MEMO_SIZE);
      await signer.sign(payload(DEFAULT_REUSE_MEMO_SIZE)); // N + 1 distinct: evicts the least recent, 1
      await signer.sign(payload(0));
      assert.equal(signed.length, DEFAULT_REUSE_MEMO_SIZE + 1, 'the refreshed entry stayed');
      await signer.sign(payload(1));
      assert.equal(signed.length, DEFAULT_REUSE_MEMO_SIZE + 2, 'the evicted entry is signed again');
      assert.equal(signed.at(-1), '1');
      for (let i = 2; i <= DEFAULT_REUSE_MEMO_SIZE + 1; i++) await signer.sign(payload(i + DEFAULT_REUSE_MEMO_SIZE));
      const again = await signer.sign(payload(0));
      assert.equal(signed.at(-1), '0', 'pushed out by N newer payloads, 0 is signed again');
      assert.equal(again.token, first.token, 'and, in the same window, to the same bytes');
    });

    test('a failed sign is not memoized', async () => {
      let fail = true;
      const signer = signerAt(manualClock(T0), {
        baseUrl: (id) => {
          if (fail) throw new Error('directory unavailable');
          return `https://dash.example.com/d/${id}`;
        },
      });
      const error = await rejectsWith(signer.sign({ dashboard: DASHBOARD }), 'invalid_base_url');
      assert.match(error.message, /directory unavailable/);
      fail = false;
      const { url } = await signer.sign({ dashboard: DASHBOARD });
      assert.match(url ?? '', /^https:\/\/dash\.example\.com\/d\/38727\/\?embed_token=/);
    });

    test('an onSign hook that throws rejects that sign, and the next one signs again', async () => {
      let calls = 0;
      const signer = signerAt(manualClock(T0), {
        onSign: () => {
          calls++;
          if (calls === 1) throw new Error('metrics down');
        },
      });
      await assert.rejects(signer.sign({ dashboard: DASHBOARD }), /metrics down/);
      await signer.sign({ dashboard: DASHBOARD });
      assert.equal(calls, 2);
    });
  });

  describe('errors at construction', () => {
    const base = { secret: SECRET, organization: ORGANIZATION };

    test('secret_too_short: under 32 bytes (counted in UTF-8 bytes), missing, or not a string/bytes', () => {
      const shortSecrets: unknown[] = ['x'.repeat(31), new Uint8Array(31), '€'.repeat(10), '', undefined, null, 42];
      for (const secret of shortSecrets) {
        assert.throws(() => createEmbedSigner({ ...base, secret: secret as string }), (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'secret_too_short');
          if (typeof secret === 'string' && secret) assert.ok(!(error as Error).message.includes(secret));
          return true;
        });
      }
      createEmbedSigner({ ...base, secret: 'x'.repeat(32) });
      createEmbedSigner({ ...base, secret: '€'.repeat(11) }); // 33 bytes
      createEmbedSigner({ ...base, secret: new Uint8Array(32) });
    });

    test('invalid_organization', async () => {
      for (const organization of [0, -1, 1.5, Number.NaN, 2 ** 53, '16417', undefined]) {
        await rejectsWith(() => createEmbedSigner({ ...base, organization: organization as number }), 'invalid_organization');
      }
    });

    test('invalid_ttl: outside 1 … 86 400 or not whole, refused rather than clamped', async () => {
      for (const ttl of [0, -5, 86_401, 1.5, Number.NaN, '900']) {
        await rejectsWith(() => createEmbedSigner({ ...base, ttl: ttl as number }), 'invalid_ttl');
      }
      assert.equal((await createEmbedSigner({ ...base, ttl: 1, now: () => T0 }).sign({ dashboard: 1 })).expiresAt, T0 / 1000 + 1);
    });

    test('invalid_base_url', async () => {
      const bad: unknown[] = [
        'https://dash.example.com/d/38727', // no placeholder
        '/d/{dashboard}',
        'ftp://dash.example.com/{dashboard}',
        'javascript:alert(1)//{dashboard}',
        'https://dash.example.com/d/{dashboard}?x=1',
        'https://dash.example.com/d/{dashboard}#top',
        'https://user:pw@dash.example.com/d/{dashboard}',
        42,
      ];
      for (const baseUrl of bad) {
        await rejectsWith(() => createEmbedSigner({ ...base, baseUrl: baseUrl as string }), 'invalid_base_url');
      }
    });

    test('the organization is exposed', () => {
      assert.equal(createEmbedSigner(base).organization, ORGANIZATION);
    });
  });

  describe('errors at sign', () => {
    const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now: () => T0 });

    test('invalid_dashboard', async () => {
      for (const dashboard of [0, -3, 2.5, '38727', undefined, 2 ** 53]) {
        await rejectsWith(signer.sign({ dashboard: dashboard as number }), 'invalid_dashboard');
      }
      await rejectsWith(signer.sign(undefined as never), 'invalid_dashboard');
    });

    test('invalid_ttl per call', async () => {
      for (const ttl of [0, 86_401, 3.5, '60']) {
        await rejectsWith(signer.sign({ dashboard: DASHBOARD, ttl: ttl as number }), 'invalid_ttl');
      }
    });

    test('invalid_env names the variable at fault', async () => {
      const cases: Array<[unknown, string | undefined]> = [
        [{ acct_id: '1' }, 'acct_id'],
        [{ ACCT_ID: null }, 'ACCT_ID'],
        [{ ACCT_ID: { nested: '1' } }, 'ACCT_ID'],
        [{ DATE_RANGE: [['2014-02-11']] }, 'DATE_RANGE'],
        [{ RATE: Number.NaN }, 'RATE'],
        [{ LONG: 'x'.repeat(2_000) }, 'LONG'],
        [JSON.parse('{"__proto__": "1"}'), '__proto__'],
        [['ACCT_ID'], undefined],
        ['ACCT_ID=1', undefined],
      ];
      for (const [env, variable] of cases) {
        const error = await rejectsWith(signer.sign({ dashboard: DASHBOARD, env: env as Record<string, unknown> }), 'invalid_env');
        assert.equal(error.variable, variable);
      }
    });

    test('a baseUrl function that returns something unusable: invalid_base_url', async () => {
      for (const answer of ['not a url', 'https://x.example/d/1?q=1', 42]) {
        const withFunction = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, baseUrl: () => answer as string });
        await rejectsWith(withFunction.sign({ dashboard: DASHBOARD }), 'invalid_base_url');
      }
    });
  });

  test('the largest env any side accepts signs into a token every side accepts, in a URL of under 8 KB', async () => {
    // Worst case for size: characters that take three bytes in UTF-8 and are \u-escaped by no one.
    const clock = manualClock(T0);
    const euros = '€'.repeat(MAX_ENV_VALUE_LENGTH);
    const fill = MAX_ENV_JSON_BYTES - 3 * MAX_ENV_VALUE_LENGTH - '{"A":"","B":""}'.length;
    const env = { A: euros, B: 'x'.repeat(fill) };
    const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now: clock.now, baseUrl: 'https://dashboards.example.com/d/{dashboard}' });
    const { token, url } = await signer.sign({ dashboard: DASHBOARD, env });
    assert.ok(isCompactJws(token), `the element accepts it (${token.length} characters)`);
    assert.ok(token.length <= MAX_TOKEN_LENGTH);
    assert.ok(url!.length < 8_000, `the iframe URL is ${url!.length} characters`);
    const claims = await verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION, now: clock.now });
    assert.deepEqual(claims.env, env);
    await rejectsWith(signer.sign({ dashboard: DASHBOARD, env: { ...env, B: `${env.B}x` } }), 'invalid_env');
  });
});
}
