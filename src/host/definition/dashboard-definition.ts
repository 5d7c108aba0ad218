/**
 * Validates a dashboard definition (parsed JSON) into a {@link DashboardDefinition}, with errors
 * that name the file and the field at fault, so a broken file stops the host at start-up rather
 * than a viewer's page later.
 * @module
 */
import { Type } from '@sinclair/typebox';
import { readColumnFormats, show } from './format-definition.js';
import { CHART_KINDS, chartKind } from './chart-types/index.js';
import { DEFAULT_DOWNLOAD_ROWS, Title } from './chart-types/chart-fields.js';
import { DashboardShellSchema } from './dashboard-schema.js';
import { firstSchemaProblem } from './schema-errors.js';
import { findPositionalParameters, findSqlParameters } from './sql-parameters.js';
import type { ChartDefinition, ChartDownload, ChartType, DashboardDefinition, MaxAge, VariableDefinition, VariableKind } from '../types.js';

export { DEFAULT_DOWNLOAD_ROWS, MAX_DOWNLOAD_ROWS } from './chart-types/chart-fields.js';
export { DATA_SOURCE_NAME } from './dashboard-schema.js';

/** A dashboard file that cannot be served; `source` and `field` say where. */
export class DashboardDefinitionError extends Error {
  override readonly name = 'DashboardDefinitionError';
  /** The file (or other source) the definition came from. */
  readonly source: string;
  /** The path of the field at fault, like `charts[2].type`, or `''` for the whole file. */
  readonly field: string;

  constructor(source: string, field: string, problem: string) {
    super(`${source}: ${field ? `${field} ` : ''}${problem}`);
    this.source = source;
    this.field = field;
  }
}

/**
 * Checks a parsed dashboard file and returns the validated definition. Unknown fields are errors
 * (a typo must not silently drop a setting); every `$NAME` in a chart's SQL must belong to a
 * declared Hidden Variable (`date_range` variables bind as `$NAME_START` and `$NAME_END`); and
 * every chart's SQL must use each variable marked `"everywhere"` (the tenant filter), so a chart
 * that forgot it stops the host at start instead of showing another account's rows. The format
 * of the file is docs/dashboards.md.
 *
 * @example
 * const dashboard = parseDashboardDefinition({
 *   id: 38727,
 *   title: 'Account overview',
 *   variables: [{ name: 'ACCT_ID', kind: 'integer', required: true }],
 *   charts: [{ title: 'Orders', type: 'number', sql: 'SELECT count(*) FROM orders WHERE account_id = $ACCT_ID' }],
 * }, 'dashboards/38727.json');
 * dashboard.charts[0].variables; // ['ACCT_ID']
 */
export function parseDashboardDefinition(value: unknown, source: string): DashboardDefinition {
  const fail = (field: string, problem: string): never => {
    throw new DashboardDefinitionError(source, field, problem);
  };
  // The shape first, by the schema (charts each against their own type's, below).
  const shape = firstSchemaProblem(DashboardShellSchema, value);
  if (shape) fail(shape.field, shape.problem);
  const root = value as Record<string, unknown>;
  const title = root.title as string;
  const dataSource = root.dataSource as string | undefined;
  const variablesInput = (root.variables ?? []) as unknown[];
  const variables = variablesInput.map((item, index) => readVariable(item, `variables[${index}]`, fail));
  const paramToVariable = new Map<string, VariableDefinition>();
  variables.forEach((variable, index) => {
    if (variables.findIndex((other) => other.name === variable.name) !== index) {
      fail(`variables[${index}].name`, `repeats "${variable.name}"`);
    }
    for (const param of parameterNames(variable)) {
      const clash = paramToVariable.get(param);
      if (clash) fail(`variables[${index}].name`, `binds $${param}, which "${clash.name}" already binds`);
      paramToVariable.set(param, variable);
    }
  });

  const chartsInput = root.charts as unknown[];
  const downloads = (root.downloads ?? true) as boolean;
  const charts = chartsInput.map((item, index) => readChart(item, `charts[${index}]`, paramToVariable, variables, downloads, fail));

  return {
    id: root.id as number,
    title,
    ...(dataSource === undefined ? {} : { dataSource }),
    ...(downloads ? {} : { downloads: false }),
    ...(root.maxAge === undefined ? {} : { maxAge: root.maxAge as MaxAge }),
    variables,
    charts,
    source,
  };
}

/**
 * The query parameters a Hidden Variable binds: `$NAME`, or `$NAME_START` and `$NAME_END` for a
 * `date_range`.
 *
 * @example
 * parameterNames({ name: 'DATE_RANGE', kind: 'date_range', required: false });
 * // ['DATE_RANGE_START', 'DATE_RANGE_END']
 */
export function parameterNames(variable: VariableDefinition): string[] {
  return variable.kind === 'date_range' ? [`${variable.name}_START`, `${variable.name}_END`] : [variable.name];
}

/**
 * Throws a {@link DashboardDefinitionError} naming the chart when one of `dashboard`'s charts does
 * not use a variable marked `"everywhere"`, in its SQL or in its download's. {@link
 * parseDashboardDefinition} already refuses such a file; this is for definitions made or changed
 * in code. The host calls it at start for every dashboard it serves.
 *
 * @example
 * assertEveryChartFiltered({ ...dashboard, charts: [...dashboard.charts, { ...chart, sql: 'SELECT 1' }] });
 * // throws 'dashboards/38727.json: charts[6].sql (chart "…") does not use $ACCT_ID, which variables[0] marks "everywhere": …'
 */
export function assertEveryChartFiltered(dashboard: DashboardDefinition): void {
  dashboard.charts.forEach((chart, index) => {
    if (chart.type === 'text') return; // no query, no rows to filter
    const queries: [string, string][] = [['sql', chart.sql]];
    if (chart.download && chart.download.sql !== chart.sql) queries.push(['download.sql', chart.download.sql]);
    for (const [field, sql] of queries) {
      const problem = everywhereProblem(sql, dashboard.variables);
      if (problem) throw new DashboardDefinitionError(dashboard.source, `charts[${index}].${field}`, `(chart ${JSON.stringify(chart.title)}) ${problem}`);
    }
  });
}

/**
 * What a chart's CSV download runs: its `download` as parsed, or for a definition made in code
 * without one, the chart's own query up to {@link DEFAULT_DOWNLOAD_ROWS} rows. `undefined` when
 * downloads are off for the chart or its whole dashboard.
 *
 * @example
 * downloadOf(dashboard, dashboard.charts[0]); // { sql: 'SELECT …', maxRows: 10000, variables: ['ACCT_ID'] }
 */
export function downloadOf(dashboard: DashboardDefinition, chart: ChartDefinition): ChartDownload | undefined {
  if (dashboard.downloads === false || chart.download === false) return undefined;
  return chart.download ?? { sql: chart.sql, maxRows: DEFAULT_DOWNLOAD_ROWS, variables: chart.variables };
}

/** Why `sql` breaks the "everywhere" rule of `variables` (the first variable it lacks), if it does. */
function everywhereProblem(sql: string, variables: readonly VariableDefinition[]): string | undefined {
  const used = findSqlParameters(sql);
  for (const [index, variable] of variables.entries()) {
    if (!variable.everywhere) continue;
    const missing = parameterNames(variable).filter((param) => !used.includes(param));
    if (missing.length > 0) {
      return (
        `does not use ${missing.map((param) => `$${param}`).join(' and ')}, which variables[${index}] marks "everywhere": ` +
        `every chart must filter its rows by ${variable.name} (add it to this chart's WHERE clause), so that no viewer sees rows of another ${variable.name}`
      );
    }
  }
  return undefined;
}

type Fail = (field: string, problem: string) => never;

/** A chart's title alone, checked first: later messages name the chart by it. */
const TITLE_ONLY = Type.Object({ title: Title });

function readVariable(value: unknown, field: string, fail: Fail): VariableDefinition {
  // The schema has checked it already as part of the file; only the rule between two fields is left.
  const item = value as Record<string, unknown>;
  const everywhere = (item.everywhere ?? false) as boolean;
  const required = (item.required ?? everywhere) as boolean;
  if (everywhere && !required) {
    fail(`${field}.required`, 'must be true for a variable marked "everywhere": a token without it must run no chart at all');
  }
  return { name: item.name as string, kind: item.kind as VariableKind, required, ...(everywhere ? { everywhere: true } : {}) };
}

function readChart(
  value: unknown,
  field: string,
  params: ReadonlyMap<string, VariableDefinition>,
  declared: readonly VariableDefinition[],
  downloads: boolean,
  failFile: Fail,
): ChartDefinition {
  const item = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!item) failFile(field, `must be an object, got ${show(value)}`);
  const titled = firstSchemaProblem(TITLE_ONLY, { title: item!.title }, { at: field });
  if (titled) failFile(titled.field, titled.problem);
  const title = item!.title as string;
  // From here on, messages also name the chart by its title.
  const fail: Fail = (at, problem) => failFile(at, `(chart ${JSON.stringify(title)}) ${problem}`);
  const kind = CHART_KINDS.get(item!.type as ChartType);
  if (!kind) fail(`${field}.type`, `must be one of ${[...CHART_KINDS.keys()].join(', ')}, got ${show(item!.type)}`);
  const shape = firstSchemaProblem(kind!.schema, item, { at: field, skip: ['formats'], unknownField: (name) => fieldOfOtherTypes(name, kind!.type) });
  if (shape) fail(shape.field, shape.problem);
  const formats = item!.formats === undefined ? undefined : readColumnFormats(item!.formats, `${field}.formats`, fail);
  const layout = { width: (item!.width as number | undefined) ?? kind!.defaultWidth, ...(item!.height === undefined ? {} : { height: item!.height as number }) };
  if (!kind!.runsQuery) {
    return { title, type: kind!.type, sql: '', maxRows: 0, variables: [], download: false, ...layout, ...kind!.ownFields(item!) };
  }
  const sql = item!.sql as string;
  const variables = readQuery(sql, `${field}.sql`, params, declared, fail);
  const download = item!.download ?? (kind!.downloadByDefault ? undefined : false);
  return {
    title,
    type: kind!.type,
    sql,
    maxRows: (item!.maxRows as number | undefined) ?? kind!.defaultMaxRows(item!),
    variables,
    ...(formats === undefined ? {} : { formats }),
    ...layout,
    ...kind!.ownFields(item!),
    download: readDownload(download, `${field}.download`, { sql, variables }, params, declared, downloads, fail),
  };
}

/** What an unknown field of a `type` chart is, when other chart types have it: theirs only. */
function fieldOfOtherTypes(name: string, type: ChartType): string | undefined {
  const owners = [...CHART_KINDS.values()].filter((kind) => kind.type !== type && name in kind.schema.properties).map((kind) => kind.type);
  if (owners.length === 0) return undefined;
  const list = owners.length === 1 ? owners[0] : `${owners.slice(0, -1).join(', ')} and ${owners.at(-1)}`;
  return `applies to ${list} charts only, not to a ${type} chart`;
}

/**
 * Checks one SQL query run under a dashboard's tokens (a chart's, or its download's): it must use
 * every variable marked "everywhere", and bind only declared ones. Returns the variables it uses.
 */
function readQuery(sql: string, field: string, params: ReadonlyMap<string, VariableDefinition>, declared: readonly VariableDefinition[], fail: Fail): string[] {
  const variables = new Set<string>();
  const positional = findPositionalParameters(sql);
  if (positional.length > 0) {
    fail(field, `uses ${positional.join(', ')}: a positional parameter is not allowed (the host binds Hidden Variables by name, like $ACCT_ID, and numbers the values it sends itself)`);
  }
  // Undeclared parameters first: a misspelt tenant variable ($ACCTID) is named as what it is,
  // not reported as the tenant variable missing.
  for (const param of findSqlParameters(sql)) {
    const variable = params.get(param);
    if (!variable) {
      const names = [...params.keys()].map((name) => `$${name}`).join(', ') || 'none';
      fail(field, `uses $${param}, which no declared Hidden Variable binds (declared parameters: ${names})`);
    }
    variables.add(variable!.name);
  }
  const unfiltered = everywhereProblem(sql, declared);
  if (unfiltered) fail(field, unfiltered);
  return [...variables];
}

/** A chart's `download`: `false`, or `{ sql?, maxRows? }` (default: the chart's own query). */
function readDownload(
  value: unknown,
  field: string,
  chart: { sql: string; variables: string[] },
  params: ReadonlyMap<string, VariableDefinition>,
  declared: readonly VariableDefinition[],
  downloads: boolean,
  fail: Fail,
): false | ChartDownload {
  if (value === false || (value === undefined && !downloads)) return false;
  if (!downloads) fail(field, 'is set, but the dashboard turns downloads off ("downloads": false): remove one of the two');
  const item = (value === true || value === undefined ? {} : value) as Record<string, unknown>;
  const maxRows = (item.maxRows ?? DEFAULT_DOWNLOAD_ROWS) as number;
  if (item.sql === undefined) return { sql: chart.sql, maxRows, variables: chart.variables };
  const sql = item.sql as string;
  return { sql, maxRows, variables: readQuery(sql, `${field}.sql`, params, declared, fail) };
}
