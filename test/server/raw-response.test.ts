/**
 * The light response (src/server/raw-response.ts), the one answer type the Node listener writes
 * in one go: it reads like any `Response` for other consumers, `toNodeHandler` writes its bytes
 * with the right length (UTF-8 text included) over a real node:http server, and the token handler
 * makes one only for requests that came through `toNodeHandler` (an edge runtime's server reads a
 * plain `Response`).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { toNodeHandler } from '../../src/server/index.js';
import { rawOf, rawResponse } from '../../src/server/raw-response.js';
import { ENDPOINT_PATH, ServerSet, sendHttp } from './helpers/endpoint-clients.js';
import { DASHBOARD, createFixture } from './helpers/endpoint-fixtures.js';

const servers = new ServerSet();
after(() => servers.close());

describe('rawResponse', () => {
  it('is a Response whose status, headers and body read as a plain one would', async () => {
    const response = rawResponse({ status: 201, headers: ['content-type', 'text/plain; charset=utf-8', 'x-one', '1'], body: 'Grüße' });
    assert.ok(response instanceof Response);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-one'), '1');
    const copy = response.clone();
    assert.equal(await response.text(), 'Grüße');
    assert.equal(response.bodyUsed, true);
    assert.deepEqual(new Uint8Array(await copy.arrayBuffer()), new TextEncoder().encode('Grüße'), 'a clone has its own body');
    assert.deepEqual(rawOf(copy), rawOf(response));
  });

  it('answers every member as a plain Response with the same status, headers and body does', async () => {
    const raw = { status: 404, headers: ['content-type', 'application/json', 'x-two', 'a', 'x-two', 'b'], body: '{"error":1}' };
    const light = rawResponse(raw);
    const plain = new Response(raw.body, { status: 404, headers: [['content-type', 'application/json'], ['x-two', 'a'], ['x-two', 'b']] });
    for (const name of ['status', 'ok', 'statusText', 'type', 'url', 'redirected', 'bodyUsed'] as const) {
      assert.equal(light[name], plain[name], name);
    }
    assert.deepEqual([...light.headers], [...plain.headers]);
    assert.equal(Object.prototype.toString.call(light), '[object Response]');
    assert.match(inspect(light), /status: 404/);
    assert.deepEqual(await light.json(), await plain.json());
    assert.equal(light.bodyUsed, true);
    assert.equal(rawResponse({ ...raw, status: 200 }).ok, true);
  });

  it('refuses a status a Response refuses, with the same RangeError', () => {
    for (const status of [101, 199, 600]) {
      assert.throws(() => new Response(null, { status }), RangeError);
      assert.throws(() => rawResponse({ status, headers: [], body: '' }), RangeError, String(status));
    }
  });

  it('has no body on a 204, as a Response must not', async () => {
    const response = rawResponse({ status: 204, headers: [], body: '' });
    assert.equal(response.body, null);
    assert.equal(await response.text(), '');
  });

  it('is written by toNodeHandler with its byte length, text as UTF-8', async () => {
    const client = await servers.start(
      toNodeHandler(() => rawResponse({ status: 200, headers: ['content-type', 'text/plain; charset=utf-8'], body: 'Grüße, 世界' })),
    );
    const answer = await sendHttp(client.port, { method: 'GET', headers: {} }, '/');
    assert.equal(answer.status, 200);
    assert.equal(answer.text, 'Grüße, 世界');
    assert.equal(answer.headers.get('content-length'), String(Buffer.byteLength('Grüße, 世界')));
  });
});

describe('the token handler answers with a light response only through toNodeHandler', () => {
  it('gives a plain Response to a plain Request, for runtimes that read it natively', async () => {
    const { handler } = createFixture();
    const response = await handler(
      new Request(`http://127.0.0.1${ENDPOINT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'session=acct-7' },
        body: JSON.stringify({ dashboard: DASHBOARD }),
      }),
    );
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(rawOf(response), undefined);
  });
});
