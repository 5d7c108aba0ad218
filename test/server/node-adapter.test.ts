/**
 * `toNodeHandler` under `node:http` on 127.0.0.1: the shared contract through the one Node path,
 * what the token endpoint gets from it (no full Request, a light response, bounds mid-upload,
 * connection handling, the origin from Host), any other Fetch handler through the same path, and
 * a property test.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { toNodeHandler } from '../../src/server/index.js';
import type { EmbedRequest } from '../../src/server/types.js';
import { rawOf } from '../../src/server/raw-response.js';
import { ENDPOINT_PATH, ServerSet, nodeTransport, sendHttp, typescriptTarget } from './helpers/endpoint-clients.js';
import { endpointContract } from './helpers/endpoint-contract.js';
import { NODE_API } from './helpers/server-apis.js';
import { endpointBodies } from './helpers/endpoint-arbitraries.js';
import {
  DASHBOARD,
  assertAnswerInvariants,
  assertError,
  assertToken,
  createFixture,
  verify,
} from './helpers/endpoint-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

endpointContract(typescriptTarget(nodeTransport(), { api: NODE_API }));

const servers = new ServerSet();
// Tests that wait on a network event carry a 5 s timeout, so a regression fails instead of hanging.
after(() => servers.close());

const json = (origin: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'content-type': 'application/json',
  origin,
  cookie: 'session=acct-7',
  ...extra,
});

/** Opens a request and writes part of a body without ending it; resolves with the answer. */
function startUpload(port: number, headers: Record<string, string>, firstBytes: Buffer) {
  const req = httpRequest({ host: '127.0.0.1', port, path: ENDPOINT_PATH, method: 'POST', headers, agent: false });
  req.on('error', () => undefined); // the server may close while we would still write
  const answer = once(req, 'response').then(async (args) => {
    const res = args[0] as IncomingMessage;
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { res, text: Buffer.concat(chunks).toString('utf8') };
  });
  req.write(firstBytes);
  return { req, answer };
}

describe('toNodeHandler with a handler from createTokenHandler (the one Node path)', () => {
  it('builds no full Request, answers with a light response and hands callbacks the lazy Request with node', async () => {
    const seen: EmbedRequest[] = [];
    const answers: Response[] = [];
    const { handler } = createFixture({
      lockedEnv: (request) => (seen.push(request), { ACCT_ID: request.headers.get('X-Account') ?? '0' }),
    });
    const client = await servers.start(
      toNodeHandler(async (request) => {
        const response = await handler(request);
        answers.push(response);
        return response;
      }),
    );
    const OriginalRequest = globalThis.Request;
    let built = 0;
    globalThis.Request = class extends OriginalRequest {
      constructor(...args: ConstructorParameters<typeof Request>) {
        super(...args);
        built += 1;
      }
    };
    let answer;
    try {
      answer = await sendHttp(
        client.port,
        { body: JSON.stringify({ dashboard: DASHBOARD }), headers: json(client.origin, { 'x-account': '31' }) },
        `${ENDPOINT_PATH}?from=test`,
      );
    } finally {
      globalThis.Request = OriginalRequest;
    }
    const { claims } = await assertToken(answer);
    assert.equal(claims.env.ACCT_ID, '31');
    assert.equal(built, 0, 'no full Request was built: the body was read from the IncomingMessage');
    assert.ok(rawOf(answers[0]!), 'the answer is a light response, written from its bytes');
    assert.equal(answer.headers.get('content-length'), String(Buffer.byteLength(answer.text)));
    const request = seen[0] as EmbedRequest;
    assert.equal(request instanceof OriginalRequest, true, 'callbacks get the lazy Request');
    assert.ok((request.node as IncomingMessage).socket, 'node is the IncomingMessage');
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `${client.origin}${ENDPOINT_PATH}?from=test`);
    assert.equal(request.headers.get('X-ACCOUNT'), '31');
    assert.equal(request.headers.get('x-missing'), null);
  });

  it('answers 413 as soon as a chunked upload passes the bound, then closes the connection', { timeout: 5000 }, async () => {
    const { handler } = createFixture({ maxBodyBytes: 1024 });
    const client = await servers.start(toNodeHandler(handler));
    const { req, answer } = startUpload(
      client.port,
      json(client.origin, { 'transfer-encoding': 'chunked' }),
      Buffer.from(`{"dashboard":38727,"filters":{"USER_ID":"${'x'.repeat(2048)}`),
    );
    // The request is never ended: the answer can only come from the bound.
    const { res, text } = await answer;
    assertError({ status: res.statusCode ?? 0, headers: { get: (n) => (res.headers[n] as string) ?? null }, text }, 413, 'body_too_large');
    assert.equal(res.headers.connection, 'close');
    await once(res.socket, 'close');
    req.destroy();
  });

  it('refuses a Content-Length over the bound before reading any of the body', { timeout: 5000 }, async () => {
    const { handler } = createFixture();
    const client = await servers.start(toNodeHandler(handler));
    const { req, answer } = startUpload(client.port, json(client.origin, { 'content-length': String(10 * 1024 * 1024) }), Buffer.from('{'));
    const { res, text } = await answer;
    assert.equal(res.statusCode, 413, text);
    assert.equal(res.headers.connection, 'close');
    req.destroy();
  });

  it('keeps the connection alive after a normally read request, or a refusal of a body-less one', async () => {
    const { handler } = createFixture();
    const client = await servers.start(toNodeHandler(handler));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const ask = (method: string, body?: string) =>
        new Promise<IncomingMessage>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port: client.port, path: ENDPOINT_PATH, method, agent, headers: json(client.origin) });
          req.on('response', (res) => {
            res.resume();
            res.on('end', () => resolve(res));
          });
          req.on('error', reject);
          req.end(body);
        });
      const first = await ask('POST', JSON.stringify({ dashboard: DASHBOARD }));
      assert.equal(first.statusCode, 200);
      assert.equal(first.headers.connection, 'keep-alive');
      assert.ok(Number(first.headers['content-length']) > 100);
      const second = await ask('GET');
      assert.equal(second.statusCode, 405);
      assert.equal(second.headers.connection, 'keep-alive');
      assert.equal(second.socket, first.socket, 'the same connection served both');
    } finally {
      agent.destroy();
    }
  });

  it('copes with a client that disconnects mid-body: a 400 to nobody, nothing reported', { timeout: 5000 }, async () => {
    const { handler, errors } = createFixture();
    const nodeHandler = toNodeHandler(handler);
    let handled: Promise<void> | undefined;
    let response: ServerResponse | undefined;
    let entered!: () => void;
    const handling = new Promise<void>((resolve) => (entered = resolve));
    const server = createServer((req, res) => {
      response = res;
      handled = nodeHandler(req, res);
      entered();
    });
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port, origin } = await listenLocal(server);
    const { req, answer } = startUpload(port, json(origin, { 'transfer-encoding': 'chunked' }), Buffer.from('{"dash'));
    answer.catch(() => undefined); // no answer can arrive: the client hangs up first
    await handling;
    req.destroy();
    await handled;
    assert.equal(response?.statusCode, 400);
    assert.deepEqual(errors, []);
  });

  it('takes https from X-Forwarded-Proto for the default same-origin check', async () => {
    const { handler } = createFixture();
    const client = await servers.start(toNodeHandler(handler));
    const httpsOrigin = `https://127.0.0.1:${client.port}`;
    const body = JSON.stringify({ dashboard: DASHBOARD });
    await assertToken(await client.send({ body, headers: json(httpsOrigin, { 'x-forwarded-proto': 'https' }) }));
    await assertToken(await client.send({ body, headers: json(httpsOrigin, { 'x-forwarded-proto': 'https, http' }) }));
    assertError(await client.send({ body, headers: json(httpsOrigin) }), 403, 'origin_not_allowed');
  });

  it('refuses an Origin when the request carries no Host to compare with', async () => {
    const { handler } = createFixture();
    const server = createServer({ requireHostHeader: false }, toNodeHandler(handler));
    const { port } = await listenLocal(server);
    after(() => {
      server.closeAllConnections();
      server.close();
    });
    const client = { port, origin: 'http://127.0.0.1' };
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: client.port,
        path: ENDPOINT_PATH,
        method: 'POST',
        setHost: false,
        agent: false,
        headers: json(client.origin),
      });
      req.on('response', async (res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() });
      });
      req.on('error', reject);
      req.end(JSON.stringify({ dashboard: DASHBOARD }));
    });
    assert.equal(answer.status, 403, answer.text);
  });

  it('serves HTTP/2 through node:http2\'s compatibility API', { timeout: 5000 }, async () => {
    const { handler } = createFixture();
    const server = http2.createServer(toNodeHandler(handler) as unknown as Parameters<typeof http2.createServer>[0]);
    const { origin } = await listenLocal(server);
    const session = http2.connect(origin);
    after(() => {
      session.close();
      server.close();
    });
    const ask = async (body: string): Promise<{ status: number; headers: { get(name: string): string | null }; text: string }> => {
      const stream = session.request({ ':method': 'POST', ':path': ENDPOINT_PATH, ...json(origin) });
      stream.end(body);
      const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      return { status: Number(headers[':status']), headers: { get: (name) => (headers[name] as string | undefined) ?? null }, text };
    };
    const { claims } = await assertToken(await ask(JSON.stringify({ dashboard: DASHBOARD })));
    assert.equal(claims.env.ACCT_ID, '7');
    assertError(await ask('x'.repeat(20_000)), 413, 'body_too_large');
  });

  it('throws a TypeError for something that is not a handler', () => {
    assert.throws(() => toNodeHandler('nope' as unknown as () => Promise<Response>), TypeError);
  });
});

describe('toNodeHandler with any other Fetch handler', () => {
  it('passes method, URL, headers and a streamed body in, and status, headers, cookies and a streamed body out', async () => {
    let seenUrl = '';
    let seenAccept = '';
    const client = await servers.start(
      toNodeHandler(async (request) => {
        seenUrl = request.url;
        seenAccept = request.headers.get('x-multi') ?? '';
        const text = await request.text();
        const headers = new Headers({ 'content-type': 'text/plain', 'x-echo-method': request.method });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/; HttpOnly');
        const parts = ['echo:', text, ':end'];
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const part = parts.shift();
            if (part === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(part));
          },
        });
        return new Response(body, { status: 201, statusText: 'Made It', headers });
      }),
    );
    const res = await new Promise<{ res: IncomingMessage; text: string }>((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1',
        port: client.port,
        path: '/echo?q=1',
        method: 'PUT',
        agent: false,
        // Raw header lines, so one name can repeat (Node then adds no Host of its own).
        headers: [['host', `127.0.0.1:${client.port}`], ['x-multi', 'one'], ['x-multi', 'two'], ['transfer-encoding', 'chunked']].flat(),
      });
      req.on('response', async (response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of response) chunks.push(chunk as Buffer);
        resolve({ res: response, text: Buffer.concat(chunks).toString() });
      });
      req.on('error', reject);
      req.write('hello ');
      req.end('world');
    });
    assert.equal(res.res.statusCode, 201);
    assert.equal(res.res.statusMessage, 'Made It');
    assert.equal(res.text, 'echo:hello world:end');
    assert.equal(res.res.headers['x-echo-method'], 'PUT');
    assert.deepEqual(res.res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    assert.equal(seenUrl, `${client.origin}/echo?q=1`);
    assert.equal(seenAccept, 'one, two');
  });

  it('sends no body for a body-less Response and builds a body-less Request for GET', async () => {
    let bodySeen: unknown = 'unset';
    const client = await servers.start(
      toNodeHandler((request) => {
        bodySeen = request.body;
        return new Response(null, { status: 204 });
      }),
    );
    const answer = await client.send({ method: 'GET' });
    assert.equal(answer.status, 204);
    assert.equal(answer.text, '');
    assert.equal(bodySeen, null);
  });

  it('aborts the request signal when the client goes away', { timeout: 5000 }, async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let aborted!: () => void;
    const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
    const client = await servers.start(
      toNodeHandler(
        (request) =>
          new Promise<Response>((resolve) => {
            request.signal.addEventListener('abort', () => {
              aborted();
              resolve(new Response('too late'));
            });
            entered();
          }),
      ),
    );
    const req = httpRequest({ host: '127.0.0.1', port: client.port, path: '/slow', method: 'GET', agent: false });
    req.on('error', () => undefined);
    req.end();
    await inHandler;
    req.destroy();
    await abortSeen;
  });

  it('answers a plain 500 (message logged, no detail sent) when a handler throws and there is no next', async () => {
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      const client = await servers.start(
        toNodeHandler(() => {
          throw new Error('handler exploded: hunter2');
        }),
      );
      const answer = await client.send({ method: 'GET' });
      assert.equal(answer.status, 500);
      assert.equal(answer.text, 'Internal Server Error');
    } finally {
      console.error = original;
    }
    assert.equal(logged.length, 1);
    assert.match(logged[0] as string, /handler exploded/);
    assert.doesNotMatch(logged[0] as string, /\n\s+at /, 'the message only, no stack');
  });
});

describe('property over node:http: no 500, locked values always the session\'s', () => {
  it('holds over random bodies', async () => {
    const { handler, errors } = createFixture({ filters: ['DATE_RANGE', 'USER_ID', 'REGION'] });
    const client = await servers.start(toNodeHandler(handler));
    let tokens = 0;
    await fc.assert(
      fc.asyncProperty(endpointBodies(), fc.integer({ min: 1, max: 99 }), async (body, account) => {
        const answer = await client.send({ body, headers: json(client.origin, { cookie: `session=acct-${account}` }) });
        assertAnswerInvariants(answer);
        assert.notEqual(answer.status, 500, answer.text);
        if (answer.status === 200) {
          tokens += 1;
          const { token } = JSON.parse(answer.text) as { token: string };
          const claims = await verify(token, (JSON.parse(body) as { dashboard: number }).dashboard);
          assert.equal(claims.env.ACCT_ID, String(account));
        }
      }),
      { numRuns: 120 },
    );
    assert.ok(tokens >= 5, `only ${tokens} bodies got a token`);
    assert.deepEqual(errors, []);
  });
});
