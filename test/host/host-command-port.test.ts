/**
 * `chartio-embed host --port N` and the `PORT` variable (issue 18 item 7): a second instance on
 * one machine from the same file. The flag wins over the variable, the variable over the file's
 * `port`; a port that is no port is a usage error naming where it came from.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listenPort, runHostCommand } from '../../src/cli/host-command.js';
import { UsageError } from '../../src/cli/usage.js';
import { SECRET } from './helpers/host-fixtures.js';
import { configFileIn, demoHostConfig, recordingIo } from './helpers/host-command-fixtures.js';
import { freePort } from '../launchers/free-port.js';

let folder: string;
before(async () => {
  folder = await mkdtemp(join(tmpdir(), 'chartio-host-port-'));
});
after(() => rm(folder, { recursive: true, force: true }));

/** Starts the host with `args` and `env`, and returns the port its first line says it listens on. */
async function listeningPort(args: string[], env: Record<string, string>): Promise<number> {
  const run = recordingIo({ CHARTIO_EMBED_SECRET: SECRET, ...env });
  const stop = new AbortController();
  const exited = runHostCommand(args, run.io, stop.signal);
  try {
    const line = await Promise.race([run.firstLine, exited.then(() => assert.fail(`the host exited: ${run.err.join('')}`))]);
    return Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)![1]);
  } finally {
    stop.abort();
    await exited.catch(() => undefined);
  }
}

test('--port wins over PORT, PORT over the file; with neither, the file says', async () => {
  const [inFile, inEnv, inFlag] = [await freePort(), await freePort(), await freePort()];
  const file = await configFileIn(folder, { ...demoHostConfig(), port: inFile });
  assert.equal(await listeningPort(['--config', file, '--port', String(inFlag)], { PORT: String(inEnv) }), inFlag);
  assert.equal(await listeningPort(['--config', file], { PORT: String(inEnv) }), inEnv);
  assert.equal(await listeningPort(['--config', file], { PORT: '' }), inFile, 'an empty PORT is no port');
  assert.equal(await listeningPort(['--config', file], {}), inFile);
});

test('a port that is no port names the flag or the variable it came from', () => {
  assert.throws(() => listenPort('80a', undefined), (error: unknown) => error instanceof UsageError && /--port takes a whole number, got "80a"/.test(error.message));
  assert.throws(() => listenPort(undefined, '70000'), /the PORT variable must be a port from 0 to 65535, got 70000/);
  assert.equal(listenPort(undefined, undefined), undefined);
});
