/**
 * The host behind `toNodeHandler` over raw TCP: every request a Fetch `Request` cannot represent
 * gets a 4xx (never a 500), the lazy pseudo-Request behaves as a `Request`, and a cached page is
 * written whole (with its length) straight from its bytes, while the same response read as a
 * plain Fetch `Response` gives the same bytes.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from '../../src/host/index.js';
import { toNodeHandler } from '../../src/server/index.js';
import { dashboardPath, manualClock, openDemoDatabase, OVERVIEW, serveHost, signToken, type ServedHost } from './helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

let database: DataSource;
let served: ServedHost;
const clock = manualClock();
before(async () => {
  database = await openDemoDatabase();
  served = await serveHost({ database, now: clock.now });
});
after(async () => {
  await served.close();
  await database.close();
});

/** Sends raw bytes and resolves to the status line's code and the whole answer. */
async function raw(origin: string, text: string): Promise<{ status: number; answer: string }> {
  const { port } = new URL(origin);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.end(text);
  let answer = '';
  for await (const chunk of socket) answer += String(chunk);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), answer };
}

describe('requests no Request can represent get a 4xx, never a 500', () => {
  const cases: [string, string, number][] = [
    ['TRACE', 'TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 405],
    ['a Host with a space', 'GET /d/38727/ HTTP/1.1\r\nHost: a b.example\r\nConnection: close\r\n\r\n', 400],
    ['a Host with credentials', 'GET /d/38727/ HTTP/1.1\r\nHost: user@evil.example\r\nConnection: close\r\n\r\n', 400],
    ['a Host with a password', 'GET /d/38727/ HTTP/1.1\r\nHost: user:pw@evil.example:80\r\nConnection: close\r\n\r\n', 400],
    ['a port over 65535', 'GET /d/38727/ HTTP/1.1\r\nHost: 127.0.0.1:70000\r\nConnection: close\r\n\r\n', 400],
    ['a port that is not a number', 'GET /d/38727/ HTTP/1.1\r\nHost: 127.0.0.1:80a\r\nConnection: close\r\n\r\n', 400],
    ['a target that is not a path', 'GET mailto:x@y HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400],
  ];
  for (const [name, request, status] of cases) {
    test(name, async () => {
      const { status: got, answer } = await raw(served.origin, request);
      assert.equal(got, status, answer.slice(0, 200));
      if (status === 405) assert.match(answer, /\r\nallow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n/i);
    });
  }

  test('what can be represented is served: HTTP/1.0 without Host, the absolute form, an IPv6 literal', async () => {
    assert.equal((await raw(served.origin, 'GET /d/38727/ HTTP/1.0\r\n\r\n')).status, 401);
    assert.equal((await raw(served.origin, 'GET http://127.0.0.1/d/38727/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).status, 401);
    assert.equal((await raw(served.origin, 'GET /nowhere HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n')).status, 404);
  });
});

describe('the lazy Request', () => {
  let server: Server;
  let origin = '';
  const seen: Record<string, unknown> = {};
  before(async () => {
    server = createServer(
      toNodeHandler(async (request) => {
        const cloned = request.clone();
        Object.assign(seen, {
          isRequest: request instanceof Request,
          method: request.method,
          url: request.url,
          header: request.headers.get('x-test'),
          body: await request.text(),
          clonedBody: await cloned.text(),
        });
        return new Response('ok');
      }),
    );
    ({ origin } = await listenLocal(server));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('is an instanceof Request with its method, URL, headers and body', async () => {
    const answer = await fetch(`${origin}/path?q=1`, { method: 'POST', body: 'hello', headers: { 'x-test': 'yes' } });
    assert.equal(await answer.text(), 'ok');
    assert.deepEqual(seen, { isRequest: true, method: 'POST', url: `${origin}/path?q=1`, header: 'yes', body: 'hello', clonedBody: 'hello' });
  });
});

describe('cached pages straight from their bytes', () => {
  test('written whole, with their length, identical to the Fetch Response’s own body', async () => {
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '3' } });
    await served.get(dashboardPath(OVERVIEW, token));
    const overHttp = await fetch(served.origin + dashboardPath(OVERVIEW, token));
    const bytes = new Uint8Array(await overHttp.arrayBuffer());
    assert.equal(overHttp.headers.get('content-length'), String(bytes.byteLength));
    assert.equal(overHttp.headers.get('content-type'), 'text/html; charset=utf-8');
    // The same answer from the handler itself, as any Fetch runtime would read it.
    const direct = await served.host(new Request(served.origin + dashboardPath(OVERVIEW, token)));
    assert.ok(direct instanceof Response);
    assert.equal(direct.status, 200);
    assert.equal(direct.headers.get('content-security-policy'), overHttp.headers.get('content-security-policy'));
    assert.deepEqual(new Uint8Array(await direct.clone().arrayBuffer()), bytes);
    assert.equal(await direct.text(), new TextDecoder().decode(bytes));
    assert.equal(direct.bodyUsed, true);
  });
});
