/**
 * Tokens the host must refuse, over real HTTP with the real verifier: each gets a 401/403 page
 * naming the rule (the EmbedError code and a sentence), never a stack trace, never the token.
 * And a cached page lives exactly until its token's exp, by an injected clock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from '../../src/host/index.js';
import {
  dashboardPath,
  forgeToken,
  manualClock,
  openDemoDatabase,
  ORGANIZATION,
  OTHER_SECRET,
  OVERVIEW,
  PRODUCT_MIX,
  serveHost,
  signToken,
  type ServedHost,
} from './helpers/host-fixtures.js';

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(async () => {
  await database.close();
});

/** Checks a refusal page: status, the code shown, a sentence, no stack, no token echoed. */
function assertRefused(answer: { status: number; text: string }, status: number, code: string, token?: string): void {
  assert.equal(answer.status, status, `${code}: ${answer.text.slice(-600)}`);
  assert.match(answer.text, new RegExp(`data-code="${code}"`));
  assert.match(answer.text, new RegExp(`Rule: <code>${code}</code>`));
  assert.match(answer.text, /<p>[A-Z][^<]{20,}\.<\/p>/, 'a human sentence');
  assert.ok(!/\n\s+at /.test(answer.text) && !/Error:/.test(answer.text), 'no stack trace');
  if (token) assert.ok(!answer.text.includes(token), 'the token is not echoed');
}

describe('refused tokens', () => {
  let served: ServedHost;
  const clock = manualClock();
  const claims = () => ({ organization: ORGANIZATION, dashboard: OVERVIEW, env: { ACCT_ID: '1' }, iat: clock.seconds(), exp: clock.seconds() + 600 });

  before(async () => {
    served = await serveHost({ database, now: clock.now });
  });
  after(() => served.close());

  test('no token, or two, is token_missing (401)', async () => {
    assertRefused(await served.get(`/d/${OVERVIEW}/`), 401, 'token_missing');
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    assertRefused(await served.get(`${dashboardPath(OVERVIEW, token)}&embed_token=${token}`), 401, 'token_missing');
  });

  test('a token changed after signing is token_signature (401)', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    const [header, , signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    payload.env.ACCT_ID = '2';
    const tampered = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    assertRefused(await served.get(dashboardPath(OVERVIEW, tampered)), 401, 'token_signature', tampered);
  });

  test('an expired token is token_expired (401)', async () => {
    const old = manualClock(clock.now() - 3_600_000);
    const token = await signToken(old, { dashboard: OVERVIEW, env: { ACCT_ID: '1' }, ttl: 600 });
    assertRefused(await served.get(dashboardPath(OVERVIEW, token)), 401, 'token_expired', token);
  });

  test('another organization’s token is refused: its secret (401) or its claim (403)', async () => {
    const foreign = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' }, secret: OTHER_SECRET, organization: 999 });
    assertRefused(await served.get(dashboardPath(OVERVIEW, foreign)), 401, 'token_signature', foreign);
    const sameSecret = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' }, organization: 999 });
    assertRefused(await served.get(dashboardPath(OVERVIEW, sameSecret)), 403, 'token_organization', sameSecret);
  });

  test('a token for another dashboard is token_dashboard (403), even once cached for its own', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '6' } });
    assert.equal((await served.get(dashboardPath(OVERVIEW, token))).status, 200);
    assertRefused(await served.get(dashboardPath(PRODUCT_MIX, token)), 403, 'token_dashboard', token);
  });

  test('alg none, HS512 and garbage are refused by name', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    assertRefused(await served.get(dashboardPath(OVERVIEW, none)), 401, 'token_algorithm');
    const hs512 = forgeToken({ alg: 'HS512', typ: 'JWT' }, claims());
    assertRefused(await served.get(dashboardPath(OVERVIEW, hs512)), 401, 'token_algorithm', hs512);
    const garbage = '<script>alert(1)</script>';
    const answer = await served.get(dashboardPath(OVERVIEW, garbage));
    assertRefused(answer, 401, 'token_malformed');
    assert.ok(!answer.text.includes('<script>alert'), 'nothing from the URL is reflected unescaped');
  });

  test('a token without exp or with a 25-hour lifetime is refused', async () => {
    const { exp: _exp, ...noExp } = claims();
    assertRefused(await served.get(dashboardPath(OVERVIEW, forgeToken({ alg: 'HS256', typ: 'JWT' }, noExp))), 401, 'token_claims');
    const long = { ...claims(), exp: clock.seconds() + 25 * 3600 };
    assertRefused(await served.get(dashboardPath(OVERVIEW, forgeToken({ alg: 'HS256', typ: 'JWT' }, long))), 401, 'token_lifetime');
  });

  test('refusals are counted and run no query', async () => {
    // A host of its own, so the counts do not depend on which tests ran before.
    const own = await serveHost({ database, now: clock.now });
    try {
      const valid = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '6' } });
      assert.equal((await own.get(dashboardPath(OVERVIEW, valid))).status, 200);
      const foreign = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' }, secret: OTHER_SECRET });
      const refusals: Array<[string, number, string]> = [
        [`/d/${OVERVIEW}/`, 401, 'token_missing'],
        [dashboardPath(OVERVIEW, foreign), 401, 'token_signature'],
        [dashboardPath(OVERVIEW, forgeToken({ alg: 'HS512', typ: 'JWT' }, claims())), 401, 'token_algorithm'],
        [dashboardPath(PRODUCT_MIX, valid), 403, 'token_dashboard'],
      ];
      for (const [path, status, code] of refusals) assertRefused(await own.get(path), status, code);
      const stats = own.host.stats();
      assert.equal(stats.rejectedTokens, refusals.length, JSON.stringify(stats));
      assert.equal(stats.queryRuns, 1, 'only the one valid token ran its queries');
    } finally {
      await own.close();
    }
  });
});

test('a cached page lives until its token’s exp, then the token is refused', async () => {
  const clock = manualClock();
  const served = await serveHost({ database, now: clock.now });
  try {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '12' }, ttl: 120 });
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    assert.equal((await served.get(dashboardPath(OVERVIEW, token))).status, 200);

    clock.advance(exp * 1000 - clock.now() - 1); // 1 ms before exp
    assert.equal((await served.get(dashboardPath(OVERVIEW, token))).status, 200);
    assert.deepEqual([served.host.stats().hits, served.host.stats().queryRuns], [1, 1]);

    clock.advance(1); // exactly exp: the verifier alone would still allow 30 s of skew; the host does not
    assertRefused(await served.get(dashboardPath(OVERVIEW, token)), 401, 'token_expired', token);
    const stats = served.host.stats();
    assert.equal(stats.expirations, 1);
    assert.equal(stats.entries, 0);
    assert.equal(stats.queryRuns, 1);
  } finally {
    await served.close();
  }
});
