/**
 * A host holding public keys only, over real HTTP with the real verifier: ES256 and EdDSA tokens
 * served, an HS256 token made with a public key's text refused; public keys from a JWKS served
 * by a real local HTTP server, fetched again at most once a minute on an unknown kid (the host's
 * clock is moved by hand; nothing sleeps), with cached pages and known keys served while that
 * server is down; and `chartio-embed host --config` reading `keys[].publicKey`,
 * `keys[].publicKeyFile` and `jwksUrl` from host.json, with no Embed Secret anywhere.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { runHostCommand } from '../../src/cli/host-command.js';
import { generateKeys, type GeneratedKeys } from '../../src/cli/keygen-command.js';
import { createEmbedSigner } from '../../src/server/index.js';
import type { DataSource } from '../../src/host/index.js';
import { dashboardPath, forgeToken, manualClock, openDemoDatabase, ORGANIZATION, OVERVIEW, serveHost } from './helpers/host-fixtures.js';
import { configFileIn, demoHostConfig, recordingIo } from './helpers/host-command-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

const ES = generateKeys('ES256', 'es-1');
const ED = generateKeys('EdDSA', 'ed-1');
const NEXT = generateKeys('ES256', 'es-2');

let database: DataSource;
let folder: string;
before(async () => {
  database = await openDemoDatabase();
  folder = await mkdtemp(join(tmpdir(), 'chartio-host-public-keys-'));
});
after(async () => {
  await database.close();
  await rm(folder, { recursive: true, force: true });
});

function tokenOf(keys: GeneratedKeys, now: () => number, env: Record<string, string> = { ACCT_ID: '1' }): Promise<string> {
  return createEmbedSigner({ privateKey: keys.privateKey, kid: keys.kid, organization: ORGANIZATION, ttl: 900, now })
    .sign({ dashboard: OVERVIEW, env })
    .then((answer) => answer.token);
}

/** A JWKS server whose document the test sets, counting requests; stoppable and restartable on its port. */
function jwksServer() {
  let server: Server;
  let port = 0;
  const state = { document: { keys: [] as unknown[] }, requests: 0, url: '' };
  return {
    state,
    async start() {
      server = createServer((_request, response) => {
        state.requests += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.document));
      });
      // Back on the port it had, after a test stopped it: the keys' URL stays the same.
      const local = await listenLocal(server, port);
      port = local.port;
      state.url = `${local.origin}/.well-known/jwks.json`;
    },
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

describe('a host with public keys in keys', () => {
  test('serves ES256 and EdDSA tokens; refuses an HS256 token made with a public key\'s text, and tokens without a kid', async () => {
    const clock = manualClock();
    const served = await serveHost({ database, now: clock.now, secret: undefined, keys: [{ kid: ES.kid, publicKey: ES.publicKey }, { kid: ED.kid, publicKey: ED.jwks.keys[0]! }] });
    try {
      for (const keys of [ES, ED]) {
        const answer = await served.get(dashboardPath(OVERVIEW, await tokenOf(keys, clock.now)));
        assert.equal(answer.status, 200, answer.text);
        assert.match(answer.text, /<h2>Completed orders<\/h2>/);
      }
      const claims = { organization: ORGANIZATION, dashboard: OVERVIEW, env: { ACCT_ID: '1' }, iat: clock.seconds(), exp: clock.seconds() + 900 };
      const confused = forgeToken({ alg: 'HS256', kid: ES.kid, typ: 'JWT' }, claims, ES.publicKey);
      const refused = await served.get(dashboardPath(OVERVIEW, confused));
      assert.equal(refused.status, 401);
      assert.match(refused.text, /data-code="token_algorithm"/);
      const withoutKid = forgeToken({ alg: 'HS256', typ: 'JWT' }, claims, ES.publicKey);
      assert.match((await served.get(dashboardPath(OVERVIEW, withoutKid))).text, /data-code="token_key_unknown"/);
    } finally {
      await served.close();
    }
  });
});

describe('a host with a jwksUrl', () => {
  const jwks = jwksServer();
  before(() => jwks.start());
  after(() => jwks.stop());

  test('fetches the keys on an unknown kid at most once a minute; cached pages and known keys are served while the JWKS server is down', async () => {
    const clock = manualClock();
    jwks.state.document = { keys: ES.jwks.keys };
    jwks.state.requests = 0;
    const served = await serveHost({ database, now: clock.now, secret: undefined, jwksUrl: jwks.state.url });
    try {
      const first = await tokenOf(ES, clock.now);
      assert.equal((await served.get(dashboardPath(OVERVIEW, first))).status, 200);
      assert.equal(jwks.state.requests, 1);

      await jwks.stop();
      // The same token: the cached page, no verification, no fetch.
      const cached = await served.get(dashboardPath(OVERVIEW, first));
      assert.equal(cached.status, 200);
      assert.equal(served.host.stats().hits, 1);
      // A new token naming the key already fetched: verified without the JWKS server.
      assert.equal((await served.get(dashboardPath(OVERVIEW, await tokenOf(ES, clock.now, { ACCT_ID: '2' })))).status, 200);
      // A new key while the server is down: refused, and the host says why in its log.
      clock.advance(60_000);
      const next = await tokenOf(NEXT, clock.now);
      const refused = await served.get(dashboardPath(OVERVIEW, next));
      assert.equal(refused.status, 401);
      assert.match(refused.text, /data-code="token_key_unknown"/);
      const warning = served.logs.find((entry) => entry.event === 'jwks_unavailable');
      assert.ok(warning, 'a jwks_unavailable line');
      assert.equal(warning.level, 'warn');

      // The server is back with the new key; within the minute the host does not ask again.
      jwks.state.document = { keys: [...ES.jwks.keys, ...NEXT.jwks.keys] };
      await jwks.start();
      assert.equal((await served.get(dashboardPath(OVERVIEW, next))).status, 401);
      assert.equal(jwks.state.requests, 1);
      clock.advance(60_000);
      const accepted = await served.get(dashboardPath(OVERVIEW, next));
      assert.equal(accepted.status, 200, accepted.text);
      assert.equal(jwks.state.requests, 2);
    } finally {
      await served.close();
    }
  });

  test('chartio-embed host --config: keys[].publicKey, keys[].publicKeyFile and jwksUrl, with no Embed Secret anywhere', async () => {
    jwks.state.document = { keys: NEXT.jwks.keys };
    await writeFile(join(folder, 'ed.pub.pem'), ED.publicKey);
    const file = await configFileIn(folder, {
      ...demoHostConfig(),
      keys: [{ kid: ES.kid, publicKey: ES.publicKey }, { kid: ED.kid, publicKeyFile: 'ed.pub.pem' }],
      jwksUrl: jwks.state.url,
    });
    const run = recordingIo({});
    const stop = new AbortController();
    const exited = runHostCommand(['--config', file], run.io, stop.signal);
    try {
      const [, url] = /listening on (http:\/\/\S+)/.exec(await run.firstLine)!;
      for (const keys of [ES, ED, NEXT]) {
        const page = await fetch(`${url}${dashboardPath(OVERVIEW, await tokenOf(keys, Date.now))}`);
        assert.equal(page.status, 200, `${keys.alg} ${keys.kid}: ${await page.clone().text()}`);
      }
    } finally {
      stop.abort();
    }
    assert.equal(await exited, 0);
  });

  test('host.json mistakes name the field: a public key without kid, a private key, a bad jwksUrl', async () => {
    const cases: [object, RegExp][] = [
      [{ keys: [{ publicKey: ES.publicKey }] }, /keys\[0\]\.kid is required for a public key/],
      [{ keys: [{ kid: 'k', publicKey: ES.privateKey }] }, /keys\[0\]\.publicKey must be PEM text starting "-----BEGIN PUBLIC KEY-----"/],
      [{ keys: [{ kid: 'k', publicKey: ES.publicKey, secretEnv: 'X' }] }, /keys\[0\] needs secretFile .* one of the two kinds/],
      [{ jwksUrl: 'file:///etc/passwd' }, /jwksUrl must be an http\(s\) URL/],
      [{ keys: [{ kid: 'k', publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }] }, /invalid_key: keys\[0\]\.publicKey is neither an EC P-256 nor an Ed25519 key/],
    ];
    for (const [change, message] of cases) {
      const run = recordingIo({});
      const code = await runCli(['host', '--config', await configFileIn(folder, { ...demoHostConfig(), ...change }, 'host-x.json')], run.io);
      assert.equal(code, 2, run.err.join(''));
      assert.match(run.err.join(''), message);
      assert.ok(!run.err.join('').includes('PRIVATE KEY-----\n'), 'no key echoed');
    }
  });
});
