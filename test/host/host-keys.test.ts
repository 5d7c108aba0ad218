/**
 * The host's keys, over real HTTP with the real verifier: `keys: [{ kid?, secret }, …]` beside
 * `secret`, a token naming a kid the host does not hold refused as `token_key_unknown` (401, on
 * the page and the data route), options checked with messages that name the key at fault, and
 * the built host verifying through the server's node:crypto entry while the edge entry stays free
 * of `node:` imports. The rotation through real host processes is test/cluster/rotation.test.ts.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createEmbedSigner } from '../../src/server/index.js';
import { createDashboardHost, loadDashboardFiles, type DataSource } from '../../src/host/index.js';
import { dashboardPath, DEMO_DASHBOARDS, manualClock, openDemoDatabase, ORGANIZATION, OVERVIEW, SECRET, serveHost, type ServedHost } from './helpers/host-fixtures.js';

const NEW_SECRET = 'the-new-embed-secret-2025-06-0123456789-abcdef';
const clock = manualClock();

let database: DataSource;
before(async () => {
  database = await openDemoDatabase();
});
after(() => database.close());

async function tokenOf(secret: string, kid?: string, env: Record<string, string> = { ACCT_ID: '1' }): Promise<string> {
  const signer = createEmbedSigner({ secret, organization: ORGANIZATION, now: clock.now, ttl: 900, ...(kid === undefined ? {} : { kid }) });
  return (await signer.sign({ dashboard: OVERVIEW, env })).token;
}

describe('a host with two keys', () => {
  let served: ServedHost;
  before(async () => {
    served = await serveHost({ database, now: clock.now, secret: undefined, keys: [{ secret: SECRET }, { kid: '2025-06', secret: NEW_SECRET }] });
  });
  after(() => served.close());

  test('serves tokens without a kid (the old key) and tokens naming the new key', async () => {
    for (const token of [await tokenOf(SECRET), await tokenOf(NEW_SECRET, '2025-06', { ACCT_ID: '2' })]) {
      const answer = await served.get(dashboardPath(OVERVIEW, token));
      assert.equal(answer.status, 200);
      assert.match(answer.text, /<h2>Completed orders<\/h2>/);
    }
  });

  test('a kid it does not hold is token_key_unknown (401), on the page and on the data route', async () => {
    const token = await tokenOf(NEW_SECRET, '2026-01');
    const page = await served.get(dashboardPath(OVERVIEW, token));
    assert.equal(page.status, 401);
    assert.match(page.text, /data-code="token_key_unknown"/);
    assert.match(page.text, /names a key id \(kid\) this host does not hold/);
    assert.ok(!page.text.includes(token));
    // The viewer is not told which keys the host holds; the operator's log is.
    assert.ok(!page.text.includes('2025-06'), 'the page names no key id the host holds');
    assert.match(page.text, /signed with a key this dashboard host does not hold/);
    const data = await fetch(`${served.origin}/d/${OVERVIEW}/data`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(data.status, 401);
    const { error } = await data.json();
    assert.equal(error.code, 'token_key_unknown');
    assert.ok(!error.message.includes('2025-06'), error.message);
    const logged = served.logs.find((entry) => entry.event === 'token_key_unknown');
    assert.match(logged?.detail ?? '', /"2026-01" is not one of this verifier's keys \(it has key id "?2025-06"? and a key without one\)/);
  });

  test('a token naming the new key but signed with the old secret is token_signature', async () => {
    const answer = await served.get(dashboardPath(OVERVIEW, await tokenOf(SECRET, '2025-06', { ACCT_ID: '3' })));
    assert.equal(answer.status, 401);
    assert.match(answer.text, /data-code="token_signature"/);
  });
});

test('a host holding only keys with ids refuses a token without a kid (the old key dropped)', async () => {
  const served = await serveHost({ database, now: clock.now, secret: undefined, keys: [{ kid: '2025-06', secret: NEW_SECRET }] });
  try {
    const answer = await served.get(dashboardPath(OVERVIEW, await tokenOf(SECRET)));
    assert.equal(answer.status, 401);
    assert.match(answer.text, /data-code="token_key_unknown"/);
  } finally {
    await served.close();
  }
});

test('options: the key at fault is named, a secret is never echoed', async () => {
  const dashboards = await loadDashboardFiles(DEMO_DASHBOARDS);
  const base = { organization: ORGANIZATION, dashboards, database, frameAncestors: [] };
  const short = 'short-secret-xyz';
  assert.throws(() => createDashboardHost({ ...base, keys: [{ secret: SECRET }, { kid: 'k2', secret: short }] }), (error: Error) => {
    assert.match(error.message, /^keys\[1\] \(kid "k2"\): the Embed Secret is 16 bytes; HS256 needs at least 32/);
    assert.ok(!error.message.includes(short));
    return (error as { code?: string }).code === 'secret_too_short';
  });
  assert.throws(() => createDashboardHost({ ...base, keys: [{ secret: undefined as unknown as string }] }), /^EmbedError: keys\[0\]: the Embed Secret is missing/);
  assert.throws(() => createDashboardHost({ ...base, secret: SECRET, keys: [{ secret: NEW_SECRET }] }), /either secret \(one key\) or keys/);
  assert.throws(() => createDashboardHost({ ...base, keys: [] }), /keys must be a non-empty list/);
  assert.throws(() => createDashboardHost({ ...base, keys: [{ kid: 'a b', secret: SECRET }] }), /kid in keys must be 1 to 64 printable ASCII characters/);
  assert.throws(() => createDashboardHost({ ...base, keys: [{ kid: 'k', secret: SECRET }, { kid: 'k', secret: NEW_SECRET }] }), /the key id "k" is in keys twice/);
  assert.throws(() => createDashboardHost({ ...base }), /the Embed Secret is missing/);
});

describe('the built host verifies through node:crypto', () => {
  const root = fileURLToPath(new URL('../../dist/', import.meta.url));

  /** Every module reachable from `file` by relative static imports, and every bare or `node:` specifier met. */
  async function graph(file: string): Promise<{ files: Set<string>; specifiers: Set<string> }> {
    const files = new Set<string>();
    const specifiers = new Set<string>();
    const visit = async (path: string): Promise<void> => {
      if (files.has(path)) return;
      files.add(path);
      const text = await readFile(path, 'utf8');
      for (const match of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
        const specifier = match[1]!;
        if (specifier.startsWith('.')) await visit(resolve(dirname(path), specifier));
        else specifiers.add(specifier);
      }
    };
    await visit(file);
    return { files, specifiers };
  }

  test('the host reaches the server’s Node entry; the edge entry reaches no node: module (run after npm run build)', async () => {
    const host = await graph(`${root}host/index.js`);
    assert.ok(host.files.has(`${root}server/node/index.js`), 'the host imports server/node/index.js');
    assert.ok(host.files.has(`${root}server/node/node-crypto.js`));
    const edge = await graph(`${root}server/index.js`);
    assert.deepEqual([...edge.specifiers].filter((specifier) => specifier.startsWith('node:')), [], 'server/index.js stays free of node: imports');
    assert.ok(!edge.files.has(`${root}server/node/node-crypto.js`));
  });
});
