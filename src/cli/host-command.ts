/**
 * `chartio-embed host --config host.json`: runs the dashboard host as a server, configured by one
 * JSON file (see `src/host/config/host-config.ts` and the README), until SIGTERM or SIGINT; then shuts
 * down in order and exits 0. The Embed Secret comes from `CHARTIO_EMBED_SECRET`, `--secret-file`
 * or the file's `secretFile` (during a rotation, each of the file's `keys` from its own file or
 * variable), never from the command line or the configuration itself.
 * @module
 */
import { HostStartError, startHostServer, type RunningHost } from '../host/start/start-host.js';
import { parse, wholeNumber } from './args.js';
import { readHostConfigFile } from './host-config-file.js';
import { hostSecrets } from './host-secrets.js';
import type { CliIo } from './io.js';
import { EXIT, UsageError } from './usage.js';

/** `chartio-embed host --help`. */
export const HOST_HELP = `
Usage: chartio-embed host --config host.json [--port N] [--secret-file PATH]

Runs the dashboard host: verifies embed tokens, runs the dashboards' queries on PostgreSQL,
MySQL/MariaDB or DuckDB, caches each page per token (in Redis too, shared by every instance, when configured).
GET /healthz answers 200 when every data source does. SIGTERM or SIGINT: stop accepting, finish
the requests under way, close the data sources, exit 0.

Options:
  --config PATH         the configuration file (JSON; see the README's "Running the host")
  --port N              listen on this port (else the PORT variable, else the configuration's
                        port): a second instance on one machine needs no second file
  --secret-file PATH    read the Embed Secret from this file (else CHARTIO_EMBED_SECRET, or the
                        configuration's secretFile; with the configuration's keys, each key
                        names its own secretFile or secretEnv instead)
  -h, --help            show this help
`.trimStart();

/**
 * Runs the command; resolves to the exit code once the host has shut down (after a signal, or
 * when `stop` aborts). Configuration mistakes, and what stops the host from starting as
 * configured (a dashboard file, a `setup` statement, a package not installed, a port taken), are
 * one line on stderr and exit 2.
 *
 * @example
 * process.exitCode = await runHostCommand(['--config', 'host.json'], io);
 */
export async function runHostCommand(args: readonly string[], io: CliIo, stop?: AbortSignal): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, port: { type: 'string' }, 'secret-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    io.out(HOST_HELP);
    return EXIT.ok;
  }
  if (values.config === undefined) throw new UsageError('host needs --config PATH (a JSON file)');
  const fromFile = await readHostConfigFile(values.config, io.env);
  const port = listenPort(values.port, io.env.PORT);
  const config = port === undefined ? fromFile : { ...fromFile, port };
  const secrets = await hostSecrets(config, values.config, io.env, values['secret-file']);
  let running: RunningHost;
  try {
    running = await startHostServer(config, secrets);
  } catch (error) {
    // A dashboard file, a setup statement, a package or a port: the operator's to fix (exit 2).
    if (error instanceof HostStartError) throw new UsageError(error.field === undefined ? error.message : `${values.config}: ${error.message}`);
    throw error;
  }
  const sources = Object.entries(config.dataSources).map(([name, source]) => `${name} (${source.type})`).join(', ');
  const admin = running.adminUrl === undefined ? '' : `; admin: ${running.adminUrl}`;
  // The pages that may frame the dashboards, said at start: an element on any other origin
  // reports frame_refused, and this line is where its developer checks why.
  const ancestors = config.frameAncestors.join(' ') || "'none'";
  io.out(
    `chartio-embed host: listening on ${running.url} (data sources: ${sources}; shared cache: ${config.redis ? 'Redis' : 'this process only'}; frameAncestors: ${ancestors}${admin})\n`,
  );

  const signal = await new Promise<string>((resolve) => {
    const onSignal = (name: string) => () => resolve(name);
    process.once('SIGTERM', onSignal('SIGTERM'));
    process.once('SIGINT', onSignal('SIGINT'));
    stop?.addEventListener('abort', onSignal('stop'), { once: true });
  });
  io.out(`chartio-embed host: ${signal}: finishing the requests under way, then closing\n`);
  // However the shutdown goes, the process ends within the bound.
  setTimeout(() => process.exit(EXIT.ok), config.shutdownTimeoutMs + 5_000).unref();
  await running.close();
  io.out('chartio-embed host: closed\n');
  return EXIT.ok;
}

/**
 * The port `--port` gives, else the `PORT` variable (as platforms that assign ports set it), else
 * `undefined` (the configuration's `port`): the flag wins over the variable, the variable over the file.
 *
 * @example
 * listenPort('9090', '8080'); // 9090
 * listenPort(undefined, '8080'); // 8080
 */
export function listenPort(flag: string | undefined, variable: string | undefined): number | undefined {
  const [text, name] = flag !== undefined ? [flag, '--port'] : variable !== undefined && variable !== '' ? [variable, 'the PORT variable'] : [undefined, ''];
  if (text === undefined) return undefined;
  const port = wholeNumber(text, name, true);
  if (port > 65_535) throw new UsageError(`${name} must be a port from 0 to 65535, got ${port}`);
  return port;
}
