/**
 * A key rotation through a JWKS, across three hosts (in process, over real HTTP, sharing one
 * clock the test moves): the signers' JWKS server publishes the keys, the hosts hold only its
 * URL. The three steps of docs/host-operations.md, with views spread over the hosts at each step
 * (new tokens, so each is verified, and repeated ones, served from cache):
 * 1. the JWKS publishes the new key beside the old one, and a minute passes;
 * 2. the signer switches to the new key: each host meets its kid, fetches the JWKS once, serves;
 * 3. once the old key's tokens have expired, the JWKS drops it; the hosts' ten-minute refresh
 *    stops accepting it.
 * No view fails at any step, and each host asks the JWKS server about once per change.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { generateKeys, type GeneratedKeys } from '../../src/cli/keygen-command.js';
import { createEmbedSigner, type EmbedSigner } from '../../src/server/index.js';
import type { DataSource } from '../../src/host/index.js';
import { dashboardPath, manualClock, openDemoDatabase, ORGANIZATION, OVERVIEW, PRODUCT_MIX, serveHost, type ServedHost } from './helpers/host-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

const OLD = generateKeys('ES256', '2026-01');
const NEW = generateKeys('EdDSA', '2026-07');
const TTL = 900;

const clock = manualClock();
let database: DataSource;
let jwksServer: Server;
let published: GeneratedKeys[] = [];
let jwksRequests = 0;
const hosts: ServedHost[] = [];

before(async () => {
  database = await openDemoDatabase();
  jwksServer = createServer((_request, response) => {
    jwksRequests += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.flatMap((keys) => keys.jwks.keys) }));
  });
  const jwksUrl = `${(await listenLocal(jwksServer)).origin}/.well-known/jwks.json`;
  for (let i = 0; i < 3; i++) hosts.push(await serveHost({ database, now: clock.now, secret: undefined, jwksUrl }));
});
after(async () => {
  await Promise.all(hosts.map((host) => host.close()));
  jwksServer.close();
  await database.close();
});

function signerOf(keys: GeneratedKeys): EmbedSigner {
  return createEmbedSigner({ privateKey: keys.privateKey, kid: keys.kid, organization: ORGANIZATION, ttl: TTL, now: clock.now });
}

/** Every view of one step: each host serves a new token per account and dashboard, then one already seen. */
async function views(signer: EmbedSigner, step: string): Promise<void> {
  const failed: string[] = [];
  for (const [index, host] of hosts.entries()) {
    for (const dashboard of [OVERVIEW, PRODUCT_MIX]) {
      const { token } = await signer.sign({ dashboard, env: { ACCT_ID: String(index + 1) } });
      for (const served of [host, hosts[(index + 1) % hosts.length]!]) {
        const answer = await served.get(dashboardPath(dashboard, token));
        if (answer.status !== 200) failed.push(`${step}: host ${hosts.indexOf(served)} dashboard ${dashboard}: ${answer.status} ${/data-code="(\w+)"/.exec(answer.text)?.[1]}`);
      }
    }
  }
  assert.deepEqual(failed, [], 'no view fails');
}

test('rotating from an ES256 key to an EdDSA key through the JWKS: no failed view on any of three hosts', async () => {
  published = [OLD];
  let signer = signerOf(OLD);
  await views(signer, 'before');
  assert.equal(jwksRequests, 3, 'each host fetched the JWKS once, on its first token');

  // 1. The new key is published beside the old one; signers wait a minute (the hosts' refetch bound).
  published = [OLD, NEW];
  clock.advance(61_000);
  await views(signer, 'both published');
  assert.equal(jwksRequests, 3, 'known keys: no fetch');

  // 2. Signers switch: each host meets the new kid once and fetches the JWKS for it.
  signer = signerOf(NEW);
  await views(signer, 'signers switched');
  assert.equal(jwksRequests, 6);

  // 3. The old key's last tokens expire; the JWKS drops it; the ten-minute refresh drops it on the hosts.
  const lastOld = (await signerOf(OLD).sign({ dashboard: OVERVIEW, env: { ACCT_ID: '9' } })).token;
  published = [NEW];
  clock.advance(Math.max(TTL * 1000, 600_000) + 1_000);
  await views(signer, 'old key withdrawn');
  for (const host of hosts) {
    const answer = await host.get(dashboardPath(OVERVIEW, lastOld));
    assert.equal(answer.status, 401, 'an old token is refused');
  }
  // A kid no JWKS has: refused, after waiting for any refresh under way (so the next check is settled).
  const probe = (await createEmbedSigner({ privateKey: NEW.privateKey, kid: 'probe', organization: ORGANIZATION, ttl: TTL, now: clock.now }).sign({ dashboard: OVERVIEW })).token;
  for (const host of hosts) assert.match((await host.get(dashboardPath(OVERVIEW, probe))).text, /data-code="token_key_unknown"/);
  // A token the old private key signs now (as a leaked key would): refused once the refresh ran.
  const leaked = (await signerOf(OLD).sign({ dashboard: OVERVIEW, env: { ACCT_ID: '8' } })).token;
  for (const host of hosts) assert.match((await host.get(dashboardPath(OVERVIEW, leaked))).text, /data-code="token_key_unknown"/);
  assert.ok(jwksRequests <= 9, `about one fetch per host per change (${jwksRequests})`);
});
