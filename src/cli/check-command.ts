/**
 * `chartio-embed check --config host.json`: every dashboard checked against its real data source,
 * with no viewer, for CI: each file read (a broken one is a problem, not a stop), each query
 * prepared with its typed parameters and never run over the data, the tenant check, and each
 * chart's columns against its type and its formats (`src/host/definition/check-dashboard.ts`).
 * One line per problem naming the file, the field and the chart; exit 1 on any, 0 when clean.
 * @module
 */
import { checkDashboardQueries, formatProblem } from '../host/definition/check-dashboard.js';
import { DashboardDefinitionError } from '../host/definition/dashboard-definition.js';
import { loadEachDashboardFile } from '../host/definition/load-dashboards.js';
import type { ParameterAnswers } from '../host/definition/check-parameters.js';
import { HostStartError } from '../host/start/host-start-error.js';
import { openDataSources } from '../host/start/open-data-sources.js';
import type { DataSource } from '../host/types.js';
import { parse } from './args.js';
import { readHostConfigFile } from './host-config-file.js';
import type { CliIo } from './io.js';
import { printable } from './printable.js';
import { redactCredentials } from '../host/config/redact-credentials.js';
import { EXIT, UsageError } from './usage.js';

/** `chartio-embed check --help`. */
export const CHECK_HELP = `
Usage: chartio-embed check --config host.json

Checks every dashboard file against its real data source, with no viewer: each chart's SQL is
prepared with its typed parameters (never run over the data), the "everywhere" variables are
read by the database in every query, and each chart's columns fit its type (a line or bar chart
needs a label column, then numeric series) and its formats (a format names a column the query
returns). One line per problem, naming the file, the chart and the column; exit 1 on any, 0 when
every dashboard is fine. Needs no Embed Secret. For CI.

Options:
  --config PATH    the host's configuration file (its dashboards folder and data sources)
  -h, --help       show this help
`.trimStart();

/**
 * Runs the command and resolves to its exit code.
 *
 * @example
 * process.exitCode = await checkCommand(['--config', 'host.json'], io); // 0, or 1 with one line per problem
 */
export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) {
    io.out(CHECK_HELP);
    return EXIT.ok;
  }
  if (values.config === undefined) throw new UsageError('check needs --config PATH (the host\'s JSON configuration)');
  const started = performance.now();
  const config = await readHostConfigFile(values.config, io.env);
  let loaded;
  try {
    loaded = await loadEachDashboardFile(config.dashboards);
  } catch (error) {
    if (error instanceof DashboardDefinitionError) throw new UsageError(error.message);
    throw error;
  }
  let sources: Record<string, DataSource>;
  try {
    sources = await openDataSources(config.dataSources);
  } catch (error) {
    if (error instanceof HostStartError) throw new UsageError(error.field === undefined ? error.message : `${values.config}: ${error.message}`);
    throw error;
  }
  const lines = [...loaded.problems];
  let queries = 0;
  try {
    const names = Object.keys(sources);
    const answers: ParameterAnswers = new Map();
    const results = await Promise.all(
      loaded.dashboards.map(async (dashboard) => {
        const name = dashboard.dataSource ?? (names.length === 1 ? names[0]! : undefined);
        if (name === undefined) return [`${dashboard.source}: dataSource is required, since the host has several data sources (${names.join(', ')})`];
        if (!Object.hasOwn(sources, name)) return [`${dashboard.source}: dataSource "${name}" is not one of the host's data sources (${names.join(', ')})`];
        queries += dashboard.charts.length;
        return (await checkDashboardQueries(dashboard, sources[name]!, answers)).map(formatProblem);
      }),
    );
    lines.push(...results.flat());
  } finally {
    await Promise.allSettled(Object.values(sources).map((source) => source.close()));
  }
  // A driver's message may quote a connection URL: its password never reaches the CI log.
  for (const line of lines) io.out(`${printable(redactCredentials(line))}\n`);
  const files = loaded.dashboards.length + loaded.problems.length;
  const took = `${((performance.now() - started) / 1000).toFixed(2)} s`;
  if (lines.length > 0) {
    io.out(`chartio-embed check: ${lines.length} problem${lines.length === 1 ? '' : 's'} in ${files} dashboard file${files === 1 ? '' : 's'} (${took})\n`);
    return EXIT.refused;
  }
  io.out(`chartio-embed check: ${files} dashboard file${files === 1 ? '' : 's'}, ${queries} chart${queries === 1 ? '' : 's'} checked on ${Object.entries(config.dataSources).map(([name, source]) => `${name} (${source.type})`).join(', ')}: no problem (${took})\n`);
  return EXIT.ok;
}
