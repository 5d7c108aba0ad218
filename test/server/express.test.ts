/**
 * `toNodeHandler` in Express 5 on 127.0.0.1: the shared contract with the handler mounted by
 * `app.use(path, …)`, and what only Express brings: bodies already parsed by `express.json()`,
 * `express.text()` or `express.raw()`, `req.session` through `request.node`, the mount path in
 * the URL, `next` never called for handled requests and `next(error)` from the general path.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import express, { type NextFunction, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import { toNodeHandler } from '../../src/server/index.js';
import type { FetchHandler } from '../../src/server/token-handler.js';
import { ENDPOINT_PATH, ServerSet, expressTransport, sendHttp, typescriptTarget, type EndpointClient } from './helpers/endpoint-clients.js';
import { endpointContract } from './helpers/endpoint-contract.js';
import { NODE_API } from './helpers/server-apis.js';
import { DASHBOARD, assertError, assertToken, createFixture } from './helpers/endpoint-fixtures.js';

endpointContract(typescriptTarget(expressTransport(), { api: NODE_API }));

const servers = new ServerSet();
after(() => servers.close());

const RANGE = ['2014-02-11', '2015-02-11'];

function headers(client: EndpointClient, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', origin: client.origin, cookie: 'session=acct-7', ...extra };
}

/** An Express app with `parsers` before the endpoint and a 418 after it, to catch any `next()`. */
async function expressApp(handler: FetchHandler, ...parsers: express.RequestHandler[]): Promise<EndpointClient> {
  const app = express();
  for (const parser of parsers) app.use(parser);
  app.use(ENDPOINT_PATH, toNodeHandler(handler));
  app.use((_req, res) => {
    res.status(418).end();
  });
  return servers.start(app);
}

describe('Express with a body parser before the endpoint', () => {
  it('uses the body express.json() parsed, with the same rules', async () => {
    const client = await expressApp(createFixture().handler, express.json());
    const { claims } = await assertToken(
      await client.send({ body: JSON.stringify({ dashboard: DASHBOARD, filters: { DATE_RANGE: RANGE } }), headers: headers(client) }),
    );
    assert.deepEqual(claims.env, { ACCT_ID: '7', DATE_RANGE: RANGE });
    const chunked = await client.send({ chunks: ['{"dashboard":38727,', '"filters":{"USER_ID":"2"}}'], headers: headers(client) });
    assert.equal((await assertToken(chunked)).claims.env.USER_ID, '2');
    assertError(
      await client.send({ body: JSON.stringify({ dashboard: DASHBOARD, filters: { ACCT_ID: '9' } }), headers: headers(client) }),
      400,
      'filter_locked',
    );
    assertError(
      await client.send({ body: '{"dashboard":38727,"filters":{"__proto__":{"ACCT_ID":"9"}}}', headers: headers(client) }),
      400,
      'filter_not_allowed',
    );
    assertError(await client.send({ body: '[1]', headers: headers(client) }), 400, 'invalid_request');
  });

  it('still refuses a Content-Length over its bound when express.json() (limit 100 kB) read the body', async () => {
    const client = await expressApp(createFixture().handler, express.json());
    const big = JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: 'x'.repeat(20_000) } });
    assertError(await client.send({ body: big, headers: headers(client) }), 413, 'body_too_large');
  });

  it('still checks the content type when express.json() skipped the body', async () => {
    const client = await expressApp(createFixture().handler, express.json());
    assertError(
      await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: headers(client, { 'content-type': 'text/plain' }) }),
      415,
      'unsupported_media_type',
    );
  });

  it('parses a body read as text by express.text() or as bytes by express.raw(), within its own bound', async () => {
    for (const parser of [express.text({ type: 'application/json' }), express.raw({ type: 'application/json' })]) {
      const client = await expressApp(createFixture({ maxBodyBytes: 1024 }).handler, parser);
      await assertToken(await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: headers(client) }));
      assertError(await client.send({ body: '{"dashboard":', headers: headers(client) }), 400, 'invalid_json');
      const chunks = ['{"dashboard":38727,"filters":{"USER_ID":"', 'z'.repeat(2000), '"}}'];
      assertError(await client.send({ chunks, headers: headers(client) }), 413, 'body_too_large');
    }
  });

  it('answers 500 (logged, not sent) when a middleware consumed the body and left nothing', async () => {
    const { handler, errors } = createFixture();
    const drain: express.RequestHandler = (req, _res, next) => {
      req.on('end', () => next());
      req.resume();
    };
    const client = await expressApp(handler, drain);
    assertError(await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: headers(client) }), 500, 'internal_error');
    assert.equal(errors.length, 1);
    assert.match(String((errors[0]?.error as Error).message), /already read by an earlier middleware/);
  });
});

describe('Express request details', () => {
  it('gives lockedEnv the Express req (req.session) and the mounted URL', async () => {
    let url = '';
    const { handler } = createFixture({
      lockedEnv: (request) => {
        url = request.url;
        const session = (request.node as ExpressRequest & { session?: { account?: string } }).session;
        return session?.account === undefined ? null : { ACCT_ID: session.account };
      },
    });
    const fakeSession: express.RequestHandler = (req, _res, next) => {
      const account = req.get('x-test-account');
      (req as ExpressRequest & { session?: object }).session = account === undefined ? {} : { account };
      next();
    };
    const client = await expressApp(handler, fakeSession);
    const { claims } = await assertToken(
      await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: headers(client, { 'x-test-account': '55' }) }),
    );
    assert.equal(claims.env.ACCT_ID, '55');
    assert.equal(url, `${client.origin}${ENDPOINT_PATH}`);
    assertError(await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: headers(client) }), 401, 'unauthenticated');
  });

  it('works mounted with app.post() too, and never calls next for handled requests', async () => {
    const app = express();
    let nextCalls = 0;
    app.post(ENDPOINT_PATH, (req, res, next) => toNodeHandler(createFixture().handler)(req, res, () => (nextCalls += 1, next())));
    app.use((_req, res) => {
      res.status(404).end();
    });
    const client = await servers.start(app);
    await assertToken(await client.send({ body: JSON.stringify({ dashboard: DASHBOARD }), headers: headers(client) }));
    assertError(await client.send({ body: '{', headers: headers(client) }), 400, 'invalid_json');
    assertError(await client.send({ body: '{}', headers: headers(client, { cookie: '' }) }), 400, 'invalid_request');
    assert.equal(nextCalls, 0);
  });

  it('passes an error from a general Fetch handler to Express\'s error handling through next', async () => {
    const app = express();
    app.use(
      '/other',
      toNodeHandler(() => {
        throw new Error('handler failed');
      }),
    );
    const seen: string[] = [];
    app.use((error: Error, _req: ExpressRequest, res: ExpressResponse, _next: NextFunction) => {
      seen.push(error.message);
      res.status(503).json({ error: { code: 'handled', message: 'by the app' } });
    });
    const client = await servers.start(app);
    const answer = await sendHttp(client.port, { method: 'GET' }, '/other');
    assert.equal(answer.status, 503);
    assert.deepEqual(seen, ['handler failed']);
  });
});
