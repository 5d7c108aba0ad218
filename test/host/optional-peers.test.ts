/**
 * Missing optional packages named all at once (issue 18 item 7): `chartio-embed host` with a
 * configuration needing DuckDB's driver, Redis's client and the metrics library, none of them
 * resolvable, stops with one line naming the three and one `npm install` for them, before
 * opening anything; one missing package keeps its own message.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { MissingPeerError, requireOptionalPeers } from '../../src/host/sources/optional-peer.js';
import { SECRET } from './helpers/host-fixtures.js';
import { demoHostConfig } from './helpers/host-command-fixtures.js';

/** What Node throws for a package it cannot find. */
const notFound = (name: string) => async () => {
  throw Object.assign(new Error(`Cannot find package '${name}' imported from here`), { code: 'ERR_MODULE_NOT_FOUND' });
};

test('several missing packages: one error naming each with what needs it, and one install command', async () => {
  await assert.rejects(
    requireOptionalPeers([
      { specifier: 'pg', purpose: 'The PostgreSQL data source', load: notFound('pg') },
      { specifier: 'node:path', purpose: 'Something installed', load: () => import('node:path') },
      { specifier: 'redis', purpose: 'The shared Redis cache', load: notFound('redis') },
      { specifier: 'redis', purpose: 'Revoking tokens', load: notFound('redis') },
    ]),
    (error: unknown) => {
      assert.ok(error instanceof MissingPeerError);
      assert.equal(error.message, 'Packages the host needs are not installed: pg (the PostgreSQL data source), redis (the shared Redis cache). Install them with: npm install pg redis');
      return true;
    },
  );
  await assert.rejects(requireOptionalPeers([{ specifier: 'pg', purpose: 'The PostgreSQL data source', load: notFound('pg') }]), {
    message: 'The PostgreSQL data source needs the pg package, which is not installed: npm install pg',
  });
  await requireOptionalPeers([{ specifier: 'node:path', purpose: 'Nothing missing', load: () => import('node:path') }]);
  const broken = new Error('a native binding failed to load');
  await assert.rejects(requireOptionalPeers([{ specifier: 'pg', purpose: 'x', load: () => Promise.reject(broken) }]), (error) => error === broken, 'other errors pass through');
});

test('chartio-embed host names every missing package of its configuration in one line, exit 2', async () => {
  // Not uninstallable in process: a child CLI whose module resolution finds none of the three.
  const hidden = ['@duckdb/node-api', 'redis', 'prom-client'];
  const hook = `export async function resolve(s, c, next) {
    if (${JSON.stringify(hidden)}.includes(s)) throw Object.assign(new Error("Cannot find package '" + s + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
    return next(s, c);
  }`;
  const register = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${hook}`)});`;
  const folder = await mkdtemp(join(tmpdir(), 'chartio-peers-'));
  try {
    const file = join(folder, 'host.json');
    // The Redis URL points nowhere: the packages are looked up before anything connects.
    await writeFile(file, JSON.stringify({ ...demoHostConfig(), metrics: true, redis: { url: 'redis://127.0.0.1:1' } }));
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', register, main, 'host', '--config', file], { env: { ...process.env, CHARTIO_EMBED_SECRET: SECRET }, timeout: 60_000 }).then(
      () => assert.fail('the host started without its packages'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(child.code, 2, child.stderr);
    assert.equal(
      child.stderr,
      'chartio-embed: Packages the host needs are not installed: @duckdb/node-api (the DuckDB data source), redis (the shared Redis cache), prom-client (serving metrics). Install them with: npm install @duckdb/node-api redis prom-client (see "chartio-embed --help")\n',
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
