/**
 * The Fetch-API token handler called directly with `new Request(...)`: the shared contract,
 * construction errors, Fetch-only cases, and a property test over random bodies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EmbedError, createEmbedSigner, createTokenHandler, type EmbedSigner, type SignInput, type TokenHandlerOptions } from '../../src/server/index.js';
import { fetchTransport, typescriptTarget } from './helpers/endpoint-clients.js';
import { endpointContract } from './helpers/endpoint-contract.js';
import {
  DASHBOARD,
  ORGANIZATION,
  SECRET,
  assertAnswerInvariants,
  assertError,
  createFixture,
  now,
  verify,
  type Answer,
} from './helpers/endpoint-fixtures.js';
import { endpointBodies } from './helpers/endpoint-arbitraries.js';

endpointContract(typescriptTarget(fetchTransport()));

const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now });
const valid: TokenHandlerOptions = { signer, dashboards: [DASHBOARD], filters: ['DATE_RANGE'] };

async function call(handler: (request: Request) => Promise<Response>, init: RequestInit & { duplex?: 'half' }): Promise<Answer> {
  const response = await handler(new Request('https://app.example.com/api/embed-token', init));
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('createTokenHandler options', () => {
  it('accepts a minimal valid configuration and returns a function', () => {
    assert.equal(typeof createTokenHandler(valid), 'function');
  });

  const invalid: Array<[string, Partial<Record<keyof TokenHandlerOptions, unknown>>, RegExp]> = [
    ['no signer', { signer: undefined }, /signer is required/],
    ['a signer without sign()', { signer: { organization: 1 } }, /signer is required/],
    ['dashboards not an array or function', { dashboards: 38727 }, /dashboards must be an array/],
    ['an empty dashboards list', { dashboards: [] }, /dashboards is empty/],
    ['a dashboard id that is not a positive integer', { dashboards: [38727, '5'] }, /"5" is not one/],
    ['a zero dashboard id', { dashboards: [0] }, /positive integer/],
    ['filters missing', { filters: undefined }, /filters must be an array/],
    ['a filter that is not a Hidden Variable name', { filters: ['date_range'] }, /"date_range".*not a Hidden Variable name/],
    ['a filter that is not a string', { filters: [7] }, /7.*not a Hidden Variable name/],
    ['lockedEnv not a function', { lockedEnv: { ACCT_ID: '1' } }, /lockedEnv must be a function/],
    ['maxBodyBytes zero', { maxBodyBytes: 0 }, /maxBodyBytes must be a positive integer/],
    ['maxBodyBytes fractional', { maxBodyBytes: 1.5 }, /maxBodyBytes/],
    ['maxBodyBytes infinite', { maxBodyBytes: Infinity }, /maxBodyBytes/],
    ['ttl zero', { ttl: 0 }, /ttl must be a whole number of seconds from 1 to 86400/],
    ['ttl over 24 h', { ttl: 86_401 }, /ttl must be/],
    ['ttl fractional', { ttl: 1.5 }, /ttl must be/],
    ['allowedOrigins empty', { allowedOrigins: [] }, /allowedOrigins must be a non-empty array/],
    ['an allowed origin with a path', { allowedOrigins: ['https://app.example.com/app'] }, /not a bare origin/],
    ['an allowed origin with a trailing slash', { allowedOrigins: ['https://app.example.com/'] }, /not a bare origin/],
    ['an allowed origin that is not a URL', { allowedOrigins: ['app.example.com'] }, /not a bare origin/],
    ['an allowed origin with a wildcard, which never matches', { allowedOrigins: ['https://app.example.com', 'https://*.example.com'] }, /allowedOrigins: "https:\/\/\*\.example\.com" holds a wildcard, which never matches/],
    ['a bare wildcard', { allowedOrigins: ['*'] }, /"\*" holds a wildcard/],
    ['onError not a function', { onError: 'log' }, /onError must be a function/],
  ];
  for (const [name, change, message] of invalid) {
    it(`throws a TypeError for ${name}`, () => {
      assert.throws(
        () => createTokenHandler({ ...valid, ...change } as TokenHandlerOptions),
        (error: unknown) => error instanceof TypeError && message.test(error.message),
      );
    });
  }

  it('throws a TypeError without options at all', () => {
    assert.throws(() => createTokenHandler(undefined as unknown as TokenHandlerOptions), TypeError);
  });

  it('accepts allowed origins in any case and with ports', () => {
    assert.equal(typeof createTokenHandler({ ...valid, allowedOrigins: ['HTTPS://App.Example.com', 'http://localhost:3000'] }), 'function');
  });

  it('never exposes its internals as enumerable properties', () => {
    assert.deepEqual(Object.keys(createTokenHandler(valid)), []);
  });
});

describe('the signer', () => {
  it('gets the env normalized once: a signer of the application\'s own making sees sign() with it as it is', async () => {
    const calls: SignInput[] = [];
    const own: EmbedSigner = { organization: ORGANIZATION, sign: (input) => (calls.push(input), signer.sign(input)) };
    const { handler } = createFixture({ signer: own, ttl: 600 });
    const answer = await call(handler, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=acct-7' },
      body: '{"dashboard":38727,"filters":{"USER_ID":5,"DATE_RANGE":["a",2]}}',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(calls, [{ dashboard: DASHBOARD, env: { ACCT_ID: '7', DATE_RANGE: ['a', '2'], USER_ID: '5' }, ttl: 600 }]);
    assert.deepEqual(Object.keys(calls[0]!.env!), ['ACCT_ID', 'DATE_RANGE', 'USER_ID'], 'keys in canonical order');
  });

  it('signs a fresh request with iat = now and past the memo: a new token each second, counted as signed', async () => {
    // Two minutes past a round hour: plain requests get the hour's token (24-hour ttl, 1-hour window).
    let clock = now() + 123_000;
    const signed: number[] = [];
    const outcomes: Array<string | undefined> = [];
    const freshSigner = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now: () => clock, onSign: (claims) => signed.push(claims.iat) });
    const { handler } = createFixture({ signer: freshSigner, onAnswer: (answer) => outcomes.push(answer.token) });
    const ask = async (body: object) => {
      const answer = await call(handler, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'session=acct-7' }, body: JSON.stringify(body) });
      assert.equal(answer.status, 200, answer.text);
      return (JSON.parse(answer.text) as { token: string }).token;
    };
    const body = { dashboard: DASHBOARD, filters: { DATE_RANGE: 'x' } };
    const plain = await ask(body);
    assert.equal(await ask(body), plain, 'a plain request reuses');
    const fresh = await ask({ ...body, fresh: true });
    assert.notEqual(fresh, plain);
    assert.equal(await ask({ ...body, fresh: true }), fresh, 'the same second signs the same bytes again');
    clock += 1000;
    const later = await ask({ ...body, fresh: true });
    assert.notEqual(later, fresh);
    const hour = now() / 1000;
    assert.deepEqual(signed, [hour, hour + 123, hour + 123, hour + 124], 'each fresh request is signed, never taken from the memo');
    assert.deepEqual(outcomes, ['signed', 'reused', 'signed', 'signed', 'signed']);
    assert.equal((await verify(later, DASHBOARD, () => clock)).iat, hour + 124);
    // A plain request after them still gets the hour's token.
    assert.equal(await ask(body), plain);
  });

  it('passes fresh to a signer of the application\'s own making', async () => {
    const calls: SignInput[] = [];
    const own: EmbedSigner = { organization: ORGANIZATION, sign: (input) => (calls.push(input), signer.sign(input)) };
    const { handler } = createFixture({ signer: own });
    const answer = await call(handler, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'session=acct-7' }, body: '{"dashboard":38727,"fresh":true}' });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(calls, [{ dashboard: DASHBOARD, env: { ACCT_ID: '7' }, fresh: true }]);
  });

  it('answers 500 (not 400) when a signer of the application\'s own refuses: the endpoint already checked the env', async () => {
    const own: EmbedSigner = { organization: ORGANIZATION, sign: () => Promise.reject(new EmbedError('invalid_env', 'refused')) };
    const { handler, errors } = createFixture({ signer: own });
    const answer = await call(handler, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'session=acct-7' }, body: '{"dashboard":38727}' });
    assertError(answer, 500, 'internal_error');
    assert.equal(errors.length, 1);
  });
});

describe('Fetch handler specifics', () => {
  it('takes its own origin from the request URL', async () => {
    const { handler } = createFixture();
    const init = (origin: string): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, cookie: 'session=acct-1' },
      body: JSON.stringify({ dashboard: DASHBOARD }),
    });
    assert.equal((await call(handler, init('https://app.example.com'))).status, 200);
    assertError(await call(handler, init('http://app.example.com')), 403, 'origin_not_allowed');
  });

  it('hands the Request itself to the callbacks', async () => {
    let seen: unknown;
    const { handler } = createFixture({ lockedEnv: (request) => ((seen = request), { ACCT_ID: '1' }) });
    const request = new Request('https://app.example.com/api/embed-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dashboard: DASHBOARD }),
    });
    await handler(request);
    assert.equal(seen, request);
  });

  it('stops reading a streamed body at the bound, before the stream ends', async () => {
    const { handler } = createFixture({ maxBodyBytes: 1024 });
    let pulls = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(512).fill(0x20)); // an endless body of spaces
      },
      cancel() {
        cancelled = true;
      },
    });
    const answer = await call(handler, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' });
    assertError(answer, 413, 'body_too_large');
    assert.ok(pulls <= 4, `read ${pulls} chunks of an endless body`);
    assert.equal(cancelled, true, 'the rest of the body is cancelled, not drained');
  });

  it('answers 400 (not 500) when the body stream fails midway', async () => {
    const { handler } = createFixture();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"dashboard":'));
        controller.error(new Error('connection reset'));
      },
    });
    const answer = await call(handler, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'session=acct-1' },
      body,
      duplex: 'half',
    });
    assertError(answer, 400, 'invalid_request');
  });
});

describe('property: random bodies never cause a 500 or a token with foreign locked values', () => {
  it('holds over random bodies and filter maps', async () => {
    const { handler, errors } = createFixture({ filters: ['DATE_RANGE', 'USER_ID', 'REGION'] });
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(endpointBodies(), fc.integer({ min: 1, max: 99 }), async (body, account) => {
        const answer = await call(handler, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `session=acct-${account}` },
          body,
        });
        assertAnswerInvariants(answer);
        assert.notEqual(answer.status, 500, answer.text);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) {
          const { token } = JSON.parse(answer.text) as { token: string };
          const claims = await verify(token, (JSON.parse(body) as { dashboard: number }).dashboard);
          assert.equal(claims.env.ACCT_ID, String(account));
        }
      }),
      { numRuns: 300 },
    );
    // The generator must reach the token-issuing path often enough for the property to mean something.
    assert.ok((statuses.get(200) ?? 0) >= 15, `only ${statuses.get(200) ?? 0} of 300 bodies got a token`);
    assert.ok((statuses.get(400) ?? 0) >= 100);
    assert.deepEqual(errors, []);
    assert.equal(({} as Record<string, unknown>).ACCT_ID, undefined);
  });
});
