/**
 * The two crypto paths of `chartio-embed/server` agree: `node:crypto` (the `node` export
 * condition) and Web Crypto (edge runtimes) sign byte-identical tokens for any payload and key
 * id, each verifies the other's, and both refuse a changed token with the same code. The built
 * package resolves `chartio-embed/server` to the node:crypto entry on Node.
 * @module
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { EmbedError } from '../../src/server/index.js';
import { NODE_API, WEB_API } from './helpers/server-apis.js';
import { DASHBOARD, ORGANIZATION, SECRET, T0 } from './helpers/signer-fixtures.js';

const envArbitrary = fc.dictionary(
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,10}$/),
  fc.oneof(fc.string({ maxLength: 30, unit: 'grapheme' }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.integer()),
  { maxKeys: 6 },
);
const kidArbitrary = fc.option(fc.stringMatching(/^[!#-[\]-~]{1,12}$/), { nil: undefined });

/** The code an `EmbedError` rejection carries, or 'ok'. */
async function outcome(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof EmbedError, String(error));
    return error.code;
  }
}

describe('node:crypto and Web Crypto', () => {
  test('property: the same options and payload sign the same bytes, and each verifies the other\'s token', async () => {
    await fc.assert(
      fc.asyncProperty(envArbitrary, kidArbitrary, fc.integer({ min: 1, max: 86_400 }), fc.integer({ min: 0, max: 10 ** 9 }), async (env, kid, ttl, offset) => {
        const now = (): number => T0 + offset;
        const options = { secret: SECRET, organization: ORGANIZATION, ttl, now, ...(kid === undefined ? {} : { kid }) };
        const fromNode = await NODE_API.createEmbedSigner(options).sign({ dashboard: DASHBOARD, env });
        const fromWeb = await WEB_API.createEmbedSigner(options).sign({ dashboard: DASHBOARD, env });
        assert.equal(fromNode.token, fromWeb.token);
        const keys = [{ ...(kid === undefined ? {} : { kid }), secret: SECRET }];
        const byWeb = await WEB_API.createEmbedVerifier({ keys, organization: ORGANIZATION, now }).verify(fromNode.token);
        const byNode = await NODE_API.verifyEmbedToken(fromWeb.token, { keys, organization: ORGANIZATION, now });
        assert.deepEqual(byWeb, byNode);
      }),
      { numRuns: 150 },
    );
  });

  test('property: any one-character change is refused by both, with the same code', async () => {
    const now = (): number => T0;
    const { token } = await NODE_API.createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, now }).sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1' } });
    const options = { secret: SECRET, organization: ORGANIZATION, now };
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'AQgw_-.=+/ x9'), async (position, replacement) => {
        fc.pre(token[position] !== replacement);
        const changed = token.slice(0, position) + replacement + token.slice(position + 1);
        const [web, node] = await Promise.all([outcome(WEB_API.verifyEmbedToken(changed, options)), outcome(NODE_API.verifyEmbedToken(changed, options))]);
        assert.notEqual(web, 'ok');
        assert.equal(node, web, changed);
      }),
      { numRuns: 300 },
    );
  });

  test('a header or payload that starts with a byte order mark, correctly signed, is refused by both as token_malformed', async () => {
    const now = (): number => T0;
    const seconds = Math.floor(T0 / 1000);
    const claims = JSON.stringify({ organization: ORGANIZATION, dashboard: DASHBOARD, env: { ACCT_ID: '1' }, iat: seconds, exp: seconds + 600 });
    const part = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const signed = (header: string, payload: string) => {
      const input = `${part(header)}.${part(payload)}`;
      return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
    };
    const options = { secret: SECRET, organization: ORGANIZATION, now };
    // The same token without the marks passes both: only the mark is refused.
    const plain = signed('{"alg":"HS256","typ":"JWT"}', claims);
    assert.deepEqual(await Promise.all([outcome(WEB_API.verifyEmbedToken(plain, options)), outcome(NODE_API.verifyEmbedToken(plain, options))]), ['ok', 'ok']);
    for (const token of [signed('\uFEFF{"alg":"HS256","typ":"JWT"}', claims), signed('{"alg":"HS256","typ":"JWT"}', `\uFEFF${claims}`)]) {
      const [web, node] = await Promise.all([outcome(WEB_API.verifyEmbedToken(token, options)), outcome(NODE_API.verifyEmbedToken(token, options))]);
      assert.deepEqual({ web, node }, { web: 'token_malformed', node: 'token_malformed' });
    }
  });
});

describe('the package', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));

  test('on Node, chartio-embed/server resolves to the node:crypto entry; elsewhere to the Web Crypto one', async () => {
    const pkg = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { exports: Record<string, Record<string, string>> };
    const server = pkg.exports['./server']!;
    assert.deepEqual(Object.keys(server), ['types', 'node', 'default'], 'types first, node before default');
    assert.equal(server.default, './dist/server/index.js');
    assert.equal(server.node, './dist/server/node/index.js');
    assert.equal(import.meta.resolve('chartio-embed/server'), new URL('dist/server/node/index.js', `file://${root}`).href);
  });

  test('both built entries sign the same token (run after npm run build)', async () => {
    const nodeBuild = (await import(`${root}dist/server/node/index.js`)) as typeof import('../../src/server/node/index.js');
    const webBuild = (await import(`${root}dist/server/index.js`)) as typeof import('../../src/server/index.js');
    assert.notEqual(nodeBuild.createEmbedSigner, webBuild.createEmbedSigner);
    const options = { secret: SECRET, organization: ORGANIZATION, kid: 'k1', now: () => T0 };
    const [a, b] = await Promise.all([nodeBuild, webBuild].map((entry) => entry.createEmbedSigner(options).sign({ dashboard: DASHBOARD, env: { A: '1' } })));
    assert.equal(a!.token, b!.token);
  });
});
