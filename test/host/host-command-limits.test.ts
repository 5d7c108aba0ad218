/**
 * `chartio-embed host --config host.json` in process (runCli): start-up errors that leak nothing
 * and name what to fix. No line quotes a Redis or PostgreSQL URL's password, a `secretEnv`
 * holding the secret itself, the content of a file a path names by mistake (the secret file as
 * --config, a dashboard "file" that is a symlink to it); host.json and dashboard files are read
 * with a size cap; a DuckDB path that is missing, a folder or not a database is exit 2 naming the
 * field; a wildcard in parentOrigins, which could never match, is refused at start.
 * Run: node --import tsx --test test/host/host-command-limits.test.ts
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/run.js';
import { runHostCommand } from '../../src/cli/host-command.js';
import { MAX_JSON_FILE_BYTES } from '../../src/host/read-json-file.js';
import { manualClock, OVERVIEW, SECRET, signToken } from './helpers/host-fixtures.js';
import { configFileIn, demoHostConfig, recordingIo } from './helpers/host-command-fixtures.js';

let folder: string;
let secretFile: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chartio-host-limits-'));
  secretFile = join(folder, 'embed-secret');
  await writeFile(secretFile, `${SECRET}\n`);
});
after(() => rm(folder, { recursive: true, force: true }));

/**
 * Runs `host` on `config` (an object written as JSON, or the path of a file); asserts exit 2, one
 * line on stderr, nothing on stdout, and that the line holds none of `secrets`; returns the line.
 */
async function refused(config: unknown, secrets: readonly string[] = [], env: Record<string, string> = { CHARTIO_EMBED_SECRET: SECRET }): Promise<string> {
  const run = recordingIo(env);
  const file = typeof config === 'string' ? config : await configFileIn(folder, config, 'host-limits.json');
  const code = await runCli(['host', '--config', file], run.io);
  assert.deepEqual([code, run.err.length, run.out.length], [2, 1, 0], run.err.join('') + run.out.join(''));
  const line = run.err[0]!;
  assert.match(line, /^chartio-embed: [^\n]*\(see "chartio-embed --help"\)\n$/);
  for (const secret of [SECRET, SECRET.slice(0, 8), ...secrets]) assert.ok(!line.includes(secret), `"${secret}" in: ${line}`);
  return line;
}

test('a Redis or PostgreSQL URL that cannot be used is refused naming its field, its password never printed', async () => {
  const cases: [object, RegExp][] = [
    [{ redis: { url: 'redis://:hunter2@127.0.0.1:99999' } }, /redis\.url is not a valid URL/],
    [{ redis: { url: 'redis://app:hunter2@cache host:6379' } }, /redis\.url is not a valid URL/],
    [{ redis: { url: 'redis://:hunter2@127.0.0.1:6379/cache' } }, /redis\.url may end with a database number/],
    [{ dataSources: { w: { type: 'postgres', url: 'postgresql://app:hunter2@db:99999/app' } } }, /dataSources\.w\.url is not a valid URL/],
    [{ dataSources: { w: { type: 'postgres', url: 'postgresql://app:hunter2@[::1/app' } } }, /dataSources\.w\.url is not a valid URL/],
    // A URL where a number belongs is quoted, without its password.
    [{ organization: 'postgresql://app:hunter2@db/app' }, /organization must be a positive integer .*got "postgresql:\/\/app:\[redacted\]@db\/app"/],
  ];
  for (const [change, message] of cases) assert.match(await refused({ ...demoHostConfig(), ...change }, ['hunter2']), message);
  const fromEnv = await refused({ ...demoHostConfig(), redis: { urlEnv: 'REDIS_URL' } }, ['hunter2'], { CHARTIO_EMBED_SECRET: SECRET, REDIS_URL: 'redis://:hunter2@127.0.0.1:70000' });
  assert.match(fromEnv, /the variable REDIS_URL \(redis\.urlEnv\) is not a valid URL/);
});

test('a secretEnv or urlEnv holding a value instead of a name is refused without repeating it', async () => {
  const pasted = await refused({ ...demoHostConfig(), keys: [{ secretEnv: SECRET }] });
  assert.match(pasted, /keys\[0\]\.secretEnv must be the name of an environment variable .* not its value; what it holds is not repeated here/);
  const hex = 'a3f9c2e1b4d5a6f7c8e9d0a1b2c3d4e5f6a7b8c9d0e1f2a3';
  const unset = await refused({ ...demoHostConfig(), keys: [{ secretEnv: hex }] }, [hex]);
  assert.match(unset, /keys\[0\]\.secretEnv names a variable that is not set \(its name is long enough to be a secret/);
  assert.match(await refused({ ...demoHostConfig(), keys: [{ secretEnv: 'EMBED_KEY' }] }), /keys\[0\]\.secretEnv names EMBED_KEY, which is not set/);
  const url = await refused({ ...demoHostConfig(), redis: { urlEnv: 'redis://:hunter2@cache:6379' } }, ['hunter2']);
  assert.match(url, /redis\.urlEnv must be the name of an environment variable/);
});

test('a path that names the wrong file: nothing of its content in the message', async () => {
  // The secret file given as --config.
  assert.match(await refused(secretFile), /--config ".*embed-secret" is not valid JSON: check that the path names the right file/);
  // A dashboard "file" that is a symlink to the secret.
  const dashboards = join(folder, 'linked-dashboards');
  await mkdir(dashboards, { recursive: true });
  await symlink(secretFile, join(dashboards, '1.json'));
  assert.match(await refused({ ...demoHostConfig(), dashboards }), /linked-dashboards\/1\.json: is not valid JSON: check that the path names the right file/);
  // Broken JSON still says where.
  const broken = join(folder, 'broken.json');
  await writeFile(broken, '{\n  "organization": 1,\n  oops\n}');
  assert.match(await refused(broken), /--config ".*broken\.json" is not valid JSON at line 3, column 3/);
});

test('host.json and dashboard files are read with a size cap, refused naming the file and the cap', async () => {
  // Sparse files: their size is what counts, not what they hold.
  const sparse = async (path: string, size: number) => {
    const file = await open(path, 'w');
    await file.truncate(size);
    await file.close();
  };
  const big = join(folder, 'big-host.json');
  await sparse(big, 400 * 1024 * 1024);
  const before = process.memoryUsage().rss;
  assert.match(await refused(big), new RegExp(`--config ".*big-host\\.json" holds more than ${MAX_JSON_FILE_BYTES} bytes, the most a file here may hold`));
  assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'the file was not read whole');
  const dashboards = join(folder, 'big-dashboards');
  await mkdir(dashboards, { recursive: true });
  await sparse(join(dashboards, '2.json'), MAX_JSON_FILE_BYTES + 1);
  assert.match(await refused({ ...demoHostConfig(), dashboards }), new RegExp(`big-dashboards/2\\.json: holds more than ${MAX_JSON_FILE_BYTES} bytes`));
});

test('a DuckDB path that is missing, a folder or not a database: exit 2 naming dataSources.X.path', async () => {
  const duckdb = (path: string) => ({ ...demoHostConfig(), dataSources: { demo: { type: 'duckdb', path } } });
  assert.match(await refused(duckdb(join(folder, 'nope.duckdb'))), /host-limits\.json: dataSources\.demo\.path ".*nope\.duckdb" does not exist: give the path of a DuckDB database file \(or set "readOnly": false/);
  assert.match(await refused(duckdb(folder)), /host-limits\.json: dataSources\.demo\.path ".*" is a folder: give the path of a DuckDB database file in it/);
  const text = join(folder, 'notes.txt');
  await writeFile(text, 'not a database, and nothing to quote\n'.repeat(200));
  const line = await refused(duckdb(text), ['nothing to quote']);
  assert.match(line, /host-limits\.json: dataSources\.demo\.path ".*notes\.txt" cannot be opened as a DuckDB database \(.*not a valid DuckDB database file/);
});

test('a wildcard in parentOrigins, which never matches, is refused at start naming the entry', async () => {
  const line = await refused({ ...demoHostConfig(), parentOrigins: ['https://app.example.com', 'https://*.example.com'] });
  assert.match(line, /host-limits\.json: parentOrigins\[1\] must be one exact origin like "https:\/\/app\.example\.com" \(no wildcard, no path, never "\*"\)/);
  assert.match(await refused({ ...demoHostConfig(), parentOrigins: ['*'] }), /parentOrigins\[0\] must be one exact origin/);
});

test('download.maxBytes in host.json bounds the CSV files the host serves; a bad value is refused naming it', async () => {
  assert.match(await refused({ ...demoHostConfig(), download: { maxBytes: 0 } }), /host-limits\.json: download\.maxBytes must be an integer from 1 up, got 0/);
  assert.match(await refused({ ...demoHostConfig(), download: { maxRows: 5 } }), /download\.maxRows is not a known field \(known: maxBytes\)/);
  const file = await configFileIn(folder, { ...demoHostConfig(), download: { maxBytes: 200 } }, 'host-download.json');
  const run = recordingIo({ CHARTIO_EMBED_SECRET: SECRET });
  const stop = new AbortController();
  const exited = runHostCommand(['--config', file], run.io, stop.signal);
  try {
    const url = /listening on (http:\/\/\S+)/.exec(await run.firstLine)![1]!;
    const token = await signToken(manualClock(Date.now()), { dashboard: OVERVIEW, env: { ACCT_ID: '1' } });
    // "Latest orders", the overview's table: far more than 200 bytes of orders.
    const answer = await fetch(`${url}/d/${OVERVIEW}/charts/5.csv`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('chartio-truncated'), 'true');
    const text = await answer.text();
    assert.match(text, /\r\n# Truncated: this file holds the first \d+ rows\. A download holds at most 200 bytes \(download\.maxBytes\)\.\r\n$/);
    assert.ok(Buffer.byteLength(text.slice(0, text.lastIndexOf('# Truncated'))) <= 200);
  } finally {
    stop.abort();
  }
  assert.equal(await exited, 0);
});
