/**
 * `chartio-embed host --config host.json` in process (runCli, as `chartio-embed` runs it): the
 * configuration checked with messages that name the field, the secret never taken from argv or
 * the file, and a host that serves, answers /healthz and closes when told. The built CLI, with
 * real processes, SIGTERM and PostgreSQL, is tested in test/cluster.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { runHostCommand } from '../../src/cli/host-command.js';
import { parseHostConfig } from '../../src/host/config/host-config.js';
import { manualClock, OVERVIEW, SECRET, signToken } from './helpers/host-fixtures.js';
import { configFileIn, demoHostConfig, recordingIo } from './helpers/host-command-fixtures.js';
import { listenLocal } from '../launchers/listen-local.js';

let folder: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chartio-host-config-'));
});
after(() => rm(folder, { recursive: true, force: true }));

const base = demoHostConfig;

const configFile = (config: unknown, name?: string) => configFileIn(folder, config, name);

const io = (env: Record<string, string | undefined> = { CHARTIO_EMBED_SECRET: SECRET }) => recordingIo(env);

describe('the configuration is checked whole, with messages that name the field', () => {
  const cases: [string, (config: any) => unknown, RegExp][] = [
    ['unknown field', (c) => ({ ...c, prot: 8081 }), /host-x\.json: prot is not a known field/],
    ['organization', (c) => ({ ...c, organization: 'acme' }), /organization must be a positive integer/],
    ['a secret in the file', (c) => ({ ...c, secret: 'in-the-file-0123456789-0123456789-xx' }), /secret is refused: keep the Embed Secret out of the configuration/],
    ['a data source type', (c) => ({ ...c, dataSources: { demo: { type: 'oracle' } } }), /dataSources\.demo\.type must be "postgres", "mysql" or "duckdb", got "oracle"/],
    ['a PostgreSQL URL', (c) => ({ ...c, dataSources: { w: { type: 'postgres', url: 'mysql://u:hunter2@h/db' } } }), /dataSources\.w\.url must be a URL like "postgresql:\/\/user@host:5432\/database"/],
    ['an unset urlEnv', (c) => ({ ...c, dataSources: { w: { type: 'postgres', urlEnv: 'NO_SUCH_VARIABLE' } } }), /dataSources\.w\.urlEnv names NO_SUCH_VARIABLE, which is not set/],
    ['url and urlEnv both', (c) => ({ ...c, redis: { url: 'redis://h', urlEnv: 'X' } }), /redis needs url .* or urlEnv/],
    ['a queue for no source', (c) => ({ ...c, queues: { other: { concurrency: 2 } } }), /queues\.other names no data source \(the data sources are demo\)/],
    ['a port', (c) => ({ ...c, port: 70000 }), /port must be an integer from 0 to 65535, got 70000/],
    ['read-only in memory', (c) => ({ ...c, dataSources: { demo: { type: 'duckdb', readOnly: true } } }), /dataSources\.demo\.readOnly cannot be true for an in-memory database/],
  ];
  for (const [name, change, message] of cases) {
    test(name, async () => {
      const run = io();
      const code = await runCli(['host', '--config', await configFile(change(base()), 'host-x.json')], run.io);
      assert.equal(code, 2);
      assert.equal(run.err.length, 1);
      assert.match(run.err[0]!, message);
      assert.ok(!run.err[0]!.includes('hunter2'), 'a URL is never echoed');
    });
  }

  test('a file that is missing or not JSON, no --config, and no secret', async () => {
    const missing = io();
    assert.equal(await runCli(['host', '--config', join(folder, 'nope.json')], missing.io), 2);
    assert.match(missing.err[0]!, /--config ".*nope\.json" cannot be read \(ENOENT\)/);
    const broken = io();
    assert.equal(await runCli(['host', '--config', await configFile('{"organization": ')], broken.io), 2);
    assert.match(broken.err[0]!, /is not valid JSON/);
    const none = io();
    assert.equal(await runCli(['host'], none.io), 2);
    assert.match(none.err[0]!, /host needs --config PATH/);
    const secretless = io({});
    assert.equal(await runCli(['host', '--config', await configFile(base(), 'host-secretless.json')], secretless.io), 2);
    assert.equal(secretless.err[0], `chartio-embed: no Embed Secret: set CHARTIO_EMBED_SECRET, pass --secret-file PATH, or give secretFile in ${join(folder, 'host-secretless.json')} (or keys, during a key rotation) (see "chartio-embed --help")\n`);
    const argv = io();
    assert.equal(await runCli(['host', '--config', 'x.json', '--secret', SECRET], argv.io), 2);
    assert.match(argv.err[0]!, /--secret is refused/);
    assert.ok(!argv.err[0]!.includes(SECRET));
  });

  test('the example configuration (demo/host/host.json, quoted in the README) is valid', async () => {
    const file = new URL('../../demo/host/host.json', import.meta.url).pathname;
    const config = parseHostConfig(JSON.parse(await readFile(file, 'utf8')), file, { DATABASE_URL: 'postgresql://app@db:5432/app', REDIS_URL: 'redis://cache:6379' });
    assert.deepEqual(config.dataSources, { warehouse: { type: 'postgres', url: 'postgresql://app@db:5432/app', connections: 8, transactionSettings: { 'chartio.acct_id': 'ACCT_ID' } } });
    assert.equal(config.redis?.url, 'redis://cache:6379');
    assert.equal(config.dashboards, new URL('../../demo/dashboards', import.meta.url).pathname);
  });

  test('--help, and the command in the main help', async () => {
    const help = io();
    assert.equal(await runCli(['host', '--help'], help.io), 0);
    assert.match(help.out.join(''), /Usage: chartio-embed host --config host\.json/);
    const main = io();
    await runCli(['--help'], main.io);
    assert.match(main.out.join(''), /\n  host {5}run the dashboard host from a JSON configuration/);
  });
});

describe('what stops the host from starting as configured: one line naming what to fix, exit 2', () => {
  /** Runs `host` on `config` (as host-start.json); asserts exit 2 and one line; returns the line. */
  async function refused(config: unknown): Promise<string> {
    const run = io();
    const code = await runCli(['host', '--config', await configFile(config, 'host-start.json')], run.io);
    assert.deepEqual([code, run.err.length, run.out.length], [2, 1, 0], run.err.join(''));
    assert.match(run.err[0]!, /^chartio-embed: [^\n]*\(see "chartio-embed --help"\)\n$/);
    assert.doesNotMatch(run.err[0]!, /error internal/);
    return run.err[0]!;
  }

  test('a dashboard file the definition check refuses', async () => {
    const dashboards = join(folder, 'bad-dashboards');
    await mkdir(dashboards, { recursive: true });
    const overview = JSON.parse(await readFile(join(base().dashboards, '38727.json'), 'utf8'));
    overview.variables[0] = { ...overview.variables[0], everywher: true };
    await writeFile(join(dashboards, '38727.json'), JSON.stringify(overview));
    assert.match(await refused({ ...base(), dashboards }), /bad-dashboards\/38727\.json: variables\[0\]\.everywher is not a known field/);
  });

  test('a dashboards folder that is missing, or holds no dashboard files', async () => {
    assert.match(await refused({ ...base(), dashboards: join(folder, 'no-such-folder') }), /no-such-folder: cannot be listed as a folder of dashboard files/);
    const empty = join(folder, 'empty-dashboards');
    await mkdir(empty, { recursive: true });
    assert.match(await refused({ ...base(), dashboards: empty }), /empty-dashboards: holds no \*\.json dashboard files/);
  });

  test('a DuckDB setup statement that fails: its field, and DuckDB\'s first line only', async () => {
    const setup = [...base().dataSources.demo.setup, 'CREATE TABL broken (n INTEGER)'];
    const line = await refused({ ...base(), dataSources: { demo: { type: 'duckdb', path: ':memory:', setup } } });
    assert.match(line, new RegExp(`^chartio-embed: .*host-start\\.json: dataSources\\.demo\\.setup\\[${setup.length - 1}\\] failed: Parser Error: syntax error at or near "TABL" \\(see`));
  });

  test('the port already in use: which address, and what to do', async () => {
    const holder = createServer();
    const { port } = await listenLocal(holder);
    try {
      const line = await refused({ ...base(), port });
      assert.match(line, new RegExp(`host-start\\.json: port 127\\.0\\.0\\.1:${port} is already in use: give another port in the configuration, or stop the process that listens there`));
    } finally {
      holder.close();
    }
  });

  test('an optional peer not installed (prom-client, for "metrics": true): the package and how to install it', async () => {
    // Not installable away in process: a child CLI whose module resolution finds no prom-client.
    const noPromClient = `export async function resolve(s, c, next) {
      if (s === 'prom-client') throw Object.assign(new Error("Cannot find package 'prom-client'"), { code: 'ERR_MODULE_NOT_FOUND' });
      return next(s, c);
    }`;
    const hook = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${noPromClient}`)});`;
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const file = await configFile({ ...base(), metrics: true }, 'host-start.json');
    const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', hook, main, 'host', '--config', file], { env: { ...process.env, CHARTIO_EMBED_SECRET: SECRET }, timeout: 60_000 }).then(
      () => assert.fail('the host started without prom-client'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.equal(child.code, 2, child.stderr);
    assert.equal(child.stdout, '');
    assert.equal(child.stderr, 'chartio-embed: Serving metrics needs the prom-client package, which is not installed: npm install prom-client (see "chartio-embed --help")\n');
  });

  test('a dashboard naming a data source the configuration does not have', async () => {
    const line = await refused({ ...base(), dataSources: { other: { type: 'duckdb', path: ':memory:' }, more: { type: 'duckdb', path: ':memory:' } } });
    assert.match(line, /38727\.json: dataSource is required, since the host has several data sources \(other, more\)/);
  });
});

test('serves the dashboards, answers /healthz, and closes when told', async () => {
  const secretFile = join(folder, 'secret');
  await writeFile(secretFile, `${SECRET}\n`);
  const file = await configFile({ ...base(), secretFile: 'secret', statsRoute: true });
  const run = io({});
  const stop = new AbortController();
  const exited = runHostCommand(['--config', file], run.io, stop.signal);
  let url: string;
  try {
    // The first line says where it listens.
    url = /listening on (http:\/\/\S+)/.exec(await run.firstLine)![1]!;
    assert.match(run.out[0]!, /data sources: demo \(duckdb\); shared cache: this process only; frameAncestors: https:\/\/app\.example\.com\)$/m);

    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ready', dataSources: { demo: 'ok' } });
    const clock = manualClock(Date.now());
    const token = await signToken(clock, { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    const page = await fetch(`${url}/d/${OVERVIEW}/?embed_token=${token}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h2>Completed orders<\/h2><\/figcaption><p class="value"[^>]*>[1-9]/);
    assert.equal((await fetch(`${url}/stats`)).status, 200);
  } finally {
    // Stopped even when an assertion failed, so a failure cannot hang the file until its timeout.
    stop.abort();
  }
  assert.equal(await exited, 0);
  assert.match(run.out.join(''), /stop: finishing the requests under way[\s\S]*closed/);
  await assert.rejects(fetch(`${url}/healthz`), 'no longer listening');
});

test('file names in a DuckDB source’s SQL are read next to the configuration file, wherever the host starts', async () => {
  const here = join(folder, 'elsewhere');
  await mkdir(here, { recursive: true });
  await writeFile(join(here, 'regions.csv'), 'account_id,region\n1,Europe\n2,Asia\n');
  const config = base();
  config.dataSources.demo.setup = [...config.dataSources.demo.setup, "CREATE TABLE regions AS FROM read_csv('regions.csv')"];
  const file = await configFileIn(here, config, 'host.json');
  assert.notEqual(process.cwd(), here);
  const run = io();
  const stop = new AbortController();
  const exited = runHostCommand(['--config', file], run.io, stop.signal);
  try {
    // A setup that cannot find the file stops the host at start: the race turns that into a failure, not a hang.
    const said = await Promise.race([run.firstLine, exited.then((code) => `exited ${code}: ${run.err.join(' ')}`)]);
    assert.match(said, /listening on http:/);
  } finally {
    stop.abort();
  }
  assert.equal(await exited, 0);
});
