/**
 * The lazy `headers` of a request served by `toNodeHandler` (src/server/node/request-headers.ts):
 * over real HTTP/1.1 on 127.0.0.1, with header lines written byte for byte, `get` and `has`
 * answer exactly as a real `Headers` built from the same raw list, and every other member (and
 * every read after a change) is the real `Headers`' own.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { toNodeHandler } from '../../src/server/index.js';
import { ServerSet } from './helpers/endpoint-clients.js';

const servers = new ServerSet();
after(() => servers.close());

/** A real `Headers` made from a Node request's raw list, as the lazy one promises to answer. */
function referenceHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * Sends `lines` (each `Name: value`) as one GET over a raw socket to a handler that runs `probe`
 * on the request, and resolves with what `probe` returned (as JSON).
 */
async function probeWith<T>(lines: readonly string[], probe: (request: Request) => T): Promise<T> {
  const client = await servers.start(
    toNodeHandler((request) => {
      // A declared length, so the answer is not chunked and its body reads as it is.
      const body = JSON.stringify({ result: probe(request) });
      return new Response(body, { headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } });
    }),
  );
  const socket = connect(client.port, '127.0.0.1');
  socket.end(`GET /probe HTTP/1.1\r\nHost: 127.0.0.1:${client.port}\r\n${lines.map((line) => `${line}\r\n`).join('')}Connection: close\r\n\r\n`);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  const text = Buffer.concat(chunks).toString('utf8');
  assert.match(text, /^HTTP\/1\.1 200 /, text);
  return (JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { result: T }).result;
}

/** What `get` and `has` say for each name, from the lazy headers and from the reference. */
function compare(request: Request, names: readonly string[]) {
  const reference = referenceHeaders((request as Request & { node: { rawHeaders: string[] } }).node.rawHeaders);
  return names.map((name) => ({
    name,
    lazy: [request.headers.get(name), request.headers.has(name)],
    reference: [reference.get(name), reference.has(name)],
  }));
}

describe('the lazy headers of a Node request', () => {
  it('answers get and has as a Headers built from the same lines: case, repeats, Cookie, whitespace', async () => {
    const lines = [
      'X-Multi: one',
      'x-multi:two',
      'X-MULTI:   three   ',
      'Cookie: a=1',
      'cookie: b=2',
      'Content-Type: application/json',
      'X-Empty:',
      'X-Tab:\tinner\tvalue\t',
      'Set-Cookie: s=1',
      'set-cookie: t=2',
    ];
    const names = ['x-multi', 'X-Multi', 'cookie', 'COOKIE', 'content-type', 'x-empty', 'x-tab', 'set-cookie', 'x-missing', 'host', 'connection'];
    const answers = await probeWith(lines, (request) => compare(request, names));
    for (const { name, lazy, reference } of answers) assert.deepEqual(lazy, reference, name);
    // Not vacuous: the lines really did repeat and join.
    assert.deepEqual(answers.find((answer) => answer.name === 'cookie')!.lazy, ['a=1; b=2', true]);
    assert.deepEqual(answers.find((answer) => answer.name === 'x-multi')!.lazy, ['one, two, three', true]);
  });

  it('is a Headers, iterates as one, and after a change answers from the changed Headers', async () => {
    const result = await probeWith(['X-A: 1', 'X-B: 2'], (request) => {
      const headers = request.headers;
      const isHeaders = headers instanceof Headers && Object.prototype.toString.call(headers) === '[object Headers]';
      const listed = [...headers].filter(([name]) => name.startsWith('x-'));
      headers.set('x-a', 'changed');
      headers.delete('x-b');
      headers.append('x-c', '3');
      return { isHeaders, listed, a: headers.get('x-a'), b: headers.has('x-b'), c: headers.get('X-C'), keys: [...headers.keys()].filter((name) => name.startsWith('x-')), same: request.headers === headers };
    });
    assert.deepEqual(result, { isHeaders: true, listed: [['x-a', '1'], ['x-b', '2']], a: 'changed', b: false, c: '3', keys: ['x-a', 'x-c'], same: true });
  });

  it('throws the TypeError a Headers throws for a name that is not a header name', async () => {
    const result = await probeWith(['X-A: 1'], (request) => {
      const thrown = (name: string) => {
        try {
          request.headers.get(name);
          return 'no error';
        } catch (error) {
          return (error as Error).name;
        }
      };
      return [thrown('bad name'), thrown(':path'), thrown('')];
    });
    assert.deepEqual(result, ['TypeError', 'TypeError', 'TypeError']);
  });

  it('agrees with a Headers on generated header lines (property)', async () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,5}$/);
    // Visible ASCII and inner spaces or tabs: what a header line may carry.
    const value = fc.stringMatching(/^[\t !-~]{0,12}$/);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('X-P', 'x-p', 'Cookie', 'X-Q'), value), { minLength: 1, maxLength: 6 }), name, async (pairs, extra) => {
        const lines = pairs.map(([key, text]) => `${key}: ${text}`);
        const answers = await probeWith(lines, (request) => compare(request, ['x-p', 'cookie', 'x-q', extra]));
        for (const { name: asked, lazy, reference } of answers) assert.deepEqual(lazy, reference, `${asked} from ${JSON.stringify(lines)}`);
      }),
      { numRuns: 40 },
    );
  });
});
