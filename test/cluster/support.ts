/**
 * What the tests on real parts share: `chartio-embed host` started from the built CLI as a child
 * process (its own Node, its own event loop, killable), and its log read back.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleElement } from '../../demo/element-bundle.js';
import { exited } from '../launchers/free-port.js';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A host process. */
export interface HostProcess {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it wrote on stdout and stderr so far. */
  output(): string;
  /** Its log lines (JSON on stderr), parsed. */
  logs(): { event: string; level: string; message: string }[];
  /** Resolves once its log has `count` lines of `event` (as they arrive, no polling). */
  logged(event: string, count?: number): Promise<void>;
  /** The JSON lines it wrote on stdout (the audit log, with `"audit": { "stdout": true }`), parsed. */
  stdoutLines(): Record<string, unknown>[];
  /** Sends SIGTERM and resolves to the exit code. */
  terminate(): Promise<number | null>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/**
 * Writes `config` to `folder/{name}.json` and starts `chartio-embed host --config` on it, with the
 * secret in the environment; resolves once it says where it listens.
 *
 * @example
 * const host = await startHostProcess(folder, 'a', config, SECRET);
 */
export async function startHostProcess(folder: string, name: string, config: object, secret: string): Promise<HostProcess> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  const file = join(folder, `${name}.json`);
  await writeFile(file, JSON.stringify(config, null, 2));
  const child = spawn(process.execPath, [CLI, 'host', '--config', file], {
    env: { ...process.env, CHARTIO_EMBED_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stderr!.on('data', (chunk) => {
    err += String(chunk);
    for (const listener of listeners) listener();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`host ${name} exited (${code}) before listening:\n${out}${err}`)));
  });
  const jsonLines = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
  const logs = () => jsonLines(err);
  return {
    url,
    port: Number(new URL(url).port),
    child,
    output: () => out + err,
    logs,
    logged: (event, count = 1) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (logs().filter((entry) => entry.event === event).length < count) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        child.once('exit', () => reject(new Error(`host ${name} exited before logging ${event}:\n${out}${err}`)));
        check();
      }),
    stdoutLines: () => jsonLines(out),
    async terminate() {
      child.kill('SIGTERM');
      await exited(child);
      return child.exitCode;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/**
 * The embedding app of the browser tests on real parts, as a request listener: `/embed-token`
 * goes to `tokens`, `/chartio-embed.js` is the element's bundle, and any other path is a page of
 * `body` (its `<chartio-embed>` elements and scripts) after the bundle's script tag.
 *
 * @example
 * app.on('request', await appPage(tokens, `<chartio-embed dashboard="38727" token-endpoint="/embed-token"></chartio-embed>`));
 */
export async function appPage(tokens: RequestListener, body: string): Promise<RequestListener> {
  const element = await bundleElement();
  return (req, res) => {
    if (req.url === '/embed-token') return void tokens(req, res);
    if (req.url === '/chartio-embed.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void res.end(element);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>app</title><script type="module" src="/chartio-embed.js"></script>\n${body}`);
  };
}
