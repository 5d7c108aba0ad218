/**
 * `chartio-embed dev --config host.json`: the dashboard host for working on dashboards, on
 * loopback only (it says so, and refuses any other address): the dashboard files watched, a saved
 * change live at the next view, a broken file's message in the terminal and on the index page
 * while its last good version keeps serving; an index of the dashboards with a "view as" form
 * each (tokens signed here with a dev secret made for this run, never sent to the browser) and
 * an Embedding page with the embed code in four languages and the element's markup.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { HostStartError } from '../host/start/host-start-error.js';
import { openDataSources } from '../host/start/open-data-sources.js';
import { parse, wholeNumber } from './args.js';
import { startDevServer } from './dev/dev-server.js';
import { readHostConfigFile } from './host-config-file.js';
import type { CliIo } from './io.js';
import { printable } from './printable.js';
import { EXIT, UsageError } from './usage.js';

/** `chartio-embed dev --help`. */
export const DEV_HELP = `
Usage: chartio-embed dev --config host.json [--port N] [--listen 127.0.0.1]

Runs the dashboard host for dashboard work, on loopback only: the dashboard files are watched
(a saved change is live at the next view; a broken file is shown in the terminal and on the
index page while its last good version keeps serving). http://127.0.0.1:PORT/ lists the
dashboards, each with a "view as" form for its Hidden Variables (tokens signed locally with a
dev secret made for this run) and its Embedding page: the embed code in Python, Ruby,
JavaScript and PHP and the <chartio-embed> markup. Needs no Embed Secret. Stop with Ctrl-C.

Options:
  --config PATH    the host's configuration file (its dashboards folder and data sources)
  --port N         the port (default: host.json's port)
  --listen ADDR    127.0.0.1 (default), ::1 or localhost; any other address is refused
  -h, --help       show this help
`.trimStart();

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Runs the command until SIGINT, SIGTERM or `stop` aborts; resolves to the exit code.
 *
 * @example
 * process.exitCode = await devCommand(['--config', 'host.json'], io);
 */
export async function devCommand(args: readonly string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, port: { type: 'string' }, listen: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    io.out(DEV_HELP);
    return EXIT.ok;
  }
  const listen = values.listen ?? '127.0.0.1';
  if (!LOOPBACK.has(listen)) throw new UsageError(`dev listens on loopback only (127.0.0.1, ::1 or localhost), got --listen ${JSON.stringify(printable(listen))}: it signs any token asked of it; serve others with "chartio-embed host"`);
  if (values.config === undefined) throw new UsageError('dev needs --config PATH (the host\'s JSON configuration)');
  const config = await readHostConfigFile(values.config, io.env);
  const port = wholeNumber(values.port, '--port', false) ?? config.port;
  if (port > 65_535) throw new UsageError(`--port must be from 0 to 65535, got ${port}`);
  let dataSources;
  try {
    dataSources = await openDataSources(config.dataSources);
  } catch (error) {
    if (error instanceof HostStartError) throw new UsageError(error.field === undefined ? error.message : `${values.config}: ${error.message}`);
    throw error;
  }
  let started = false;
  const report = (problems: readonly string[], count: number) => {
    const when = new Date().toISOString().slice(11, 19);
    io.out(`chartio-embed dev: ${when} ${started ? 'reloaded' : 'loaded'} ${count} dashboard${count === 1 ? '' : 's'}${problems.length === 0 ? '' : `; ${problems.length} broken file${problems.length === 1 ? '' : 's'} (its last good version, if any, keeps serving):`}\n`);
    for (const problem of problems) io.out(`  ${printable(problem)}\n`);
  };
  let dev;
  try {
    dev = await startDevServer({ config, dataSources, secret: new Uint8Array(randomBytes(32)), listen, port, onReload: (snapshot) => report(snapshot.problems, snapshot.dashboards.length) });
  } catch (error) {
    await Promise.allSettled(Object.values(dataSources).map((source) => source.close()));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use: give another with --port`);
    throw error;
  }
  started = true;
  io.out(`chartio-embed dev: ${dev.url}/ on loopback only (not reachable from other machines); tokens are signed here with a dev secret made for this run. Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    stop?.addEventListener('abort', () => resolve(), { once: true });
  });
  await dev.close();
  await Promise.allSettled(Object.values(dataSources).map((source) => source.close()));
  io.out('chartio-embed dev: closed\n');
  return EXIT.ok;
}
