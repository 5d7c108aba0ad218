/**
 * Token reuse across languages: the same request (organization, dashboard, env in any key order)
 * within one reuse window gets the byte-identical token from the TypeScript endpoint and the
 * Python, Ruby and PHP examples. That holds only if all of them write the claims in the same order,
 * sort the env keys, write compact UTF-8 JSON, write numbers as JavaScript does and round `iat`
 * down to the same window: the rules docs/token-endpoint.md gives a port. With HS256 and with
 * EdDSA (Ed25519 signs deterministically) the whole token matches; with ES256, header.payload.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { nodeTransport, typescriptTarget, type ContractTarget, type EndpointClient, type EndpointConfig } from '../server/helpers/endpoint-clients.js';
import { DASHBOARD, EDDSA_KEY, ES256_KEY, OTHER_DASHBOARD, assertToken, twiceInOneWindow } from '../server/helpers/endpoint-fixtures.js';
import { NODE_API } from '../server/helpers/server-apis.js';
import { exampleTarget } from './helpers/example-targets.js';

/** TypeScript first: every other token is compared with its one. */
const targets: ContractTarget[] = [
  typescriptTarget(nodeTransport(), { clock: Date.now, api: NODE_API }),
  exampleTarget('python'),
  exampleTarget('ruby'),
  exampleTarget('php'),
];

after(() => Promise.all(targets.map((target) => target.stopAll())));

/** One endpoint per language, all configured alike. */
function startAll(config: EndpointConfig = {}): Promise<EndpointClient[]> {
  return Promise.all(targets.map((target) => target.start(config)));
}

/** The same body (JSON text) to every endpoint, as account 7: their tokens, from one window. */
async function tokensFor(clients: EndpointClient[], body: string, ttl?: number, kid?: string, publicKey?: string): Promise<string[]> {
  const { dashboard, fresh } = JSON.parse(body) as { dashboard: number; fresh?: boolean };
  // A fresh token's window is its second: twiceInOneWindow asks again if that turned between them.
  const issued = await twiceInOneWindow(() =>
    Promise.all(
      clients.map(async (client) =>
        assertToken(
          await client.send({ body, headers: { 'content-type': 'application/json', origin: client.origin, cookie: 'session=acct-7' } }),
          { dashboard, now: Date.now, ...(ttl === undefined ? {} : { ttl }), ...(kid === undefined ? {} : { kid }), ...(fresh ? { issuedFrom: 0 } : {}), ...(publicKey === undefined ? {} : { publicKey }) },
        ),
      ),
    ),
  );
  return issued.map((token) => token.token);
}

/** Asserts every language signed the bytes TypeScript signed. */
function assertAllEqual(tokens: string[]): void {
  const [typescript, ...others] = tokens;
  others.forEach((other, i) => assert.equal(other, typescript, `${targets[i + 1]!.name} signs the bytes TypeScript signs`));
}

describe('the same request gets the same token in every language', () => {
  let clients: EndpointClient[];
  before(async () => {
    clients = await startAll();
  });

  const bodies: Array<[string, string]> = [
    ['no filters', JSON.stringify({ dashboard: OTHER_DASHBOARD })],
    ['filters in any key order', '{"filters":{"USER_ID":"3","DATE_RANGE":["2014-02-11","2015-02-11"]},"dashboard":38727}'],
    ['numbers, written as JavaScript writes them', '{"dashboard":38727,"filters":{"USER_ID":[1,2.5,1e21,-0,12345678901234567890,1e-7],"DATE_RANGE":0.1}}'],
    ['text that JSON escapes, and text it does not', JSON.stringify({ dashboard: DASHBOARD, filters: { DATE_RANGE: ['"quoted" \\ /', '\u0001\b\n\t\u007f', 'Zürich', '\u2028😀'] } })],
  ];
  for (const [what, body] of bodies) {
    test(what, async () => {
      assertAllEqual(await tokensFor(clients, body));
    });
  }

  test('with a key id in the header', async () => {
    const withKid = await startAll({ kid: '2025-06' });
    assertAllEqual(await tokensFor(withKid, JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: '1' } }), undefined, '2025-06'));
  });

  test('a fresh request ("fresh": true): issued the same second, the same bytes', async () => {
    assertAllEqual(await tokensFor(clients, JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: '1' }, fresh: true })));
  });

  test('ES256: the same header.payload in every language, each signature verified by the public key', async () => {
    // ECDSA signatures are randomized (k is fresh per signature), so the tokens differ in their
    // third part only; assertToken has verified each one with the public key.
    const es256 = await startAll({ kid: ES256_KEY.kid, privateKey: ES256_KEY.privateKey });
    const body = JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: '1', DATE_RANGE: ['2014-02-11', 'Zürich'] } });
    const tokens = await tokensFor(es256, body, undefined, ES256_KEY.kid, ES256_KEY.publicKey);
    assertAllEqual(tokens.map((token) => token.slice(0, token.lastIndexOf('.'))));
    assert.equal(new Set(tokens.map((token) => token.split('.')[2])).size, tokens.length, 'four signatures, each its own');
  });

  test('EdDSA: the byte-identical token in every language, signature included (Ed25519 is deterministic)', async () => {
    const eddsa = await startAll({ kid: EDDSA_KEY.kid, privateKey: EDDSA_KEY.privateKey });
    const body = JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: '1', DATE_RANGE: ['2014-02-11', 'Zürich'] } });
    assertAllEqual(await tokensFor(eddsa, body, undefined, EDDSA_KEY.kid, EDDSA_KEY.publicKey));
  });

  test('with a 15-minute lifetime too (90-second windows)', async () => {
    const short = await startAll({ ttl: 900 });
    assertAllEqual(await tokensFor(short, JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: '1' } }), 900));
  });
});
