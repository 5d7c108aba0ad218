/**
 * `chartio-embed host --config host.json` with the operations fields (in process, as
 * `chartio-embed` runs it): `keys` whose secrets come from files or environment variables (never
 * the file, never argv), checked with messages that name the field; `revocation` cut-offs; the
 * admin port serving `/stats`, `/metrics` and `/healthz` while the public port serves none of
 * the first two; the audit log appended to a file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { runHostCommand } from '../../src/cli/host-command.js';
import { createEmbedSigner } from '../../src/server/index.js';
import { OVERVIEW, SECRET } from './helpers/host-fixtures.js';
import { configFileIn, demoHostConfig, recordingIo } from './helpers/host-command-fixtures.js';

const NEW_SECRET = 'the-new-embed-secret-2025-06-0123456789-abcdef';
let folder: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chartio-host-operations-'));
  await writeFile(join(folder, 'new.secret'), `${NEW_SECRET}\n`);
  await writeFile(join(folder, 'short.secret'), 'too-short\n');
});
after(() => rm(folder, { recursive: true, force: true }));

const base = demoHostConfig;

const configFile = (config: unknown, name?: string) => configFileIn(folder, config, name);

const io = (env: Record<string, string | undefined> = { OLD_EMBED_SECRET: SECRET }) => recordingIo(env);

describe('the operations fields are checked with messages that name the field', () => {
  const keys = [{ secretEnv: 'OLD_EMBED_SECRET' }, { kid: '2025-06', secretFile: 'new.secret' }];
  const cases: [string, (config: any) => unknown, RegExp, Record<string, string>?][] = [
    ['a secret in a key', (c) => ({ ...c, keys: [{ secret: NEW_SECRET }] }), /host-x\.json: keys\[0\]\.secret is refused: keep secrets out of the configuration/],
    ['a key with neither source', (c) => ({ ...c, keys: [{ kid: 'a' }] }), /keys\[0\] needs secretFile \(a path\) or secretEnv/],
    ['a key with both', (c) => ({ ...c, keys: [{ secretFile: 'a', secretEnv: 'B' }] }), /keys\[0\] needs secretFile .* one of the two/],
    ['a bad kid', (c) => ({ ...c, keys: [{ kid: 'has space', secretFile: 'new.secret' }] }), /keys\[0\]\.kid must be 1 to 64 printable ASCII characters/],
    ['a kid twice', (c) => ({ ...c, keys: [{ kid: 'k', secretFile: 'new.secret' }, { kid: 'k', secretEnv: 'OLD_EMBED_SECRET' }] }), /keys\[1\]\.kid "k" is given twice/],
    ['an unset variable', (c) => ({ ...c, keys: [{ secretEnv: 'NOT_SET' }] }), /keys\[0\]\.secretEnv names NOT_SET, which is not set/],
    ['keys and secretFile', (c) => ({ ...c, keys, secretFile: 'new.secret' }), /keys and secretFile are two ways to give the secret/],
    ['no keys', (c) => ({ ...c, keys: [] }), /keys must be a non-empty list/],
    ['a short key', (c) => ({ ...c, keys: [{ secretEnv: 'OLD_EMBED_SECRET' }, { kid: 'k2', secretFile: 'short.secret' }] }), /host-x\.json: keys\[1\]\.secretFile holds 9 bytes; an Embed Secret needs at least 32/],
    ['a missing key file', (c) => ({ ...c, keys: [{ secretFile: 'nope.secret' }] }), /cannot read .*host-x\.json: keys\[0\]\.secretFile \(ENOENT\)/],
    ['a local time', (c) => ({ ...c, revocation: { before: '2026-03-01 12:00' } }), /revocation\.before must be an ISO 8601 time with its zone/],
    ['a dashboard id', (c) => ({ ...c, revocation: { dashboards: { abc: '2026-01-01T00:00:00Z' } } }), /revocation\.dashboards\.abc is not a dashboard id/],
    ['a revocation field', (c) => ({ ...c, revocation: { after: '2026-01-01T00:00:00Z' } }), /revocation\.after is not a known field \(known: before, dashboards, refreshMs, onUnavailable\)/],
    ['metricsRoute alone', (c) => ({ ...c, metricsRoute: true }), /metricsRoute needs "metrics": true/],
    ['an admin port', (c) => ({ ...c, admin: { port: 99999 } }), /admin\.port must be an integer from 0 to 65535/],
    ['an admin without port', (c) => ({ ...c, admin: {} }), /admin\.port is required/],
    ['an audit sink', (c) => ({ ...c, audit: { stdout: true, file: 'a.jsonl' } }), /audit needs "stdout": true or "file": "audit\.jsonl", one of the two/],
    ['a redacted name', (c) => ({ ...c, audit: { stdout: true, redact: ['user'] } }), /audit\.redact\[0\] must be a Hidden Variable name/],
  ];
  for (const [name, change, message, env] of cases) {
    test(name, async () => {
      const run = io(env);
      const code = await runCli(['host', '--config', await configFile(change(base()), 'host-x.json')], run.io);
      assert.equal(code, 2, run.err.join(''));
      assert.equal(run.err.length, 1);
      assert.match(run.err[0]!, message);
      for (const secret of [SECRET, NEW_SECRET, 'too-short']) assert.ok(!run.err[0]!.includes(secret), 'no secret echoed');
    });
  }

  test('--secret-file beside keys is refused', async () => {
    const run = io();
    const code = await runCli(['host', '--config', await configFile({ ...base(), keys }), '--secret-file', join(folder, 'new.secret')], run.io);
    assert.equal(code, 2);
    assert.match(run.err[0]!, /--secret-file is not used when .* lists keys: give each key its own secretFile or secretEnv there/);
  });
});

test('two keys, a cut-off, an admin port and an audit file: served as configured', async () => {
  const auditFile = join(folder, 'audit.jsonl');
  // Further back than a 15-minute token's reuse window (90 s): tokens signed now are after it.
  const cutOff = Date.now() - 120_000;
  const file = await configFile({
    ...base(),
    keys: [{ secretEnv: 'OLD_EMBED_SECRET' }, { kid: '2025-06', secretFile: 'new.secret' }],
    revocation: { before: new Date(cutOff).toISOString() },
    metrics: true,
    admin: { port: 0 },
    audit: { file: 'audit.jsonl', redact: ['USER_ID'] },
  });
  const run = io();
  const stop = new AbortController();
  const exited = runHostCommand(['--config', file], run.io, stop.signal);
  try {
    const [, url, admin] = /listening on (http:\/\/\S+) .*; admin: (http:\/\/[^)\s]+)\)/.exec(await run.firstLine)!;
    const sign = (secret: string, kid?: string, now = Date.now()) =>
      createEmbedSigner({ secret, organization: 16417, ttl: 900, now: () => now, ...(kid === undefined ? {} : { kid }) }).sign({ dashboard: OVERVIEW, env: { ACCT_ID: '1', USER_ID: '7' } });
    const old = await sign(SECRET);
    const rotated = await sign(NEW_SECRET, '2025-06');
    for (const { token } of [old, rotated]) {
      const page = await fetch(`${url}/d/${OVERVIEW}/?embed_token=${token}`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<main>/);
    }
    const revoked = await sign(NEW_SECRET, '2025-06', cutOff - 600_000);
    const refused = await fetch(`${url}/d/${OVERVIEW}/?embed_token=${revoked.token}`);
    assert.equal(refused.status, 401);
    assert.match(await refused.text(), /data-code="token_revoked"/);

    for (const path of ['/stats', '/metrics']) assert.equal((await fetch(`${url}${path}`)).status, 404, `${path} is not public`);
    const metrics = await (await fetch(`${admin}/metrics`)).text();
    assert.match(metrics, /^chartio_host_requests_total\{route="page",status="200"\} 2$/m);
    assert.match(metrics, /^chartio_host_token_refusals_total\{code="token_revoked"\} 1$/m);
    assert.match(metrics, /^process_cpu_user_seconds_total /m, 'Node’s process metrics too');
    assert.equal((await (await fetch(`${admin}/stats`)).json()).revokedTokens, 1);
    assert.equal((await fetch(`${admin}/healthz`)).status, 200);
  } finally {
    stop.abort();
  }
  assert.equal(await exited, 0);
  const records = (await readFile(auditFile, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(records.map((record) => [record.served, record.status, record.code, record.env?.USER_ID]), [
    ['run', 200, 'ok', '[redacted]'],
    ['run', 200, 'ok', '[redacted]'],
    ['refused', 401, 'token_revoked', '[redacted]'],
  ]);
});
