/**
 * Validates a dashboard definition (parsed JSON) into a {@link DashboardDefinition}, with errors
 * that name the file and the field at fault, so a broken file stops the host at start-up rather
 * than a viewer's page later.
 * @module
 */
import { checkMaxAge } from './max-age.js';
import { isHiddenVariableName, isPositiveId } from '../../protocol/index.js';
import { readColumnFormats, show } from './format-definition.js';
import { findPositionalParameters, findSqlParameters } from './sql-parameters.js';
import type { ChartDefinition, ChartDownload, ChartType, DashboardDefinition, VariableDefinition, VariableKind } from '../types.js';

const CHART_TYPES: readonly ChartType[] = ['number', 'line', 'bar', 'table'];
const VARIABLE_KINDS: readonly VariableKind[] = ['text', 'integer', 'list', 'integer_list', 'date_range'];
const DEFAULT_MAX_ROWS: Readonly<Record<ChartType, number>> = { number: 1, line: 1000, bar: 1000, table: 100 };
const MAX_ROWS_LIMIT = 10_000;
/** Rows a chart's CSV download holds at most unless its `download.maxRows` says otherwise. */
export const DEFAULT_DOWNLOAD_ROWS = 10_000;
/** The most rows a download may be set to hold. */
export const MAX_DOWNLOAD_ROWS = 100_000;
const MAX_CHARTS = 50;
const MAX_TITLE_LENGTH = 200;
const MAX_SQL_LENGTH = 20_000;
/** How a data source is named, in a dashboard file and in the host's options. */
export const DATA_SOURCE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

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
  const root = asRecord(value, '', fail);
  checkKeys(root, ['id', 'title', 'dataSource', 'downloads', 'maxAge', 'variables', 'charts'], '', fail);
  if (!isPositiveId(root.id)) fail('id', `must be a positive integer (the dashboard id tokens carry), got ${show(root.id)}`);
  const title = readTitle(root.title, 'title', fail);
  const dataSource = root.dataSource;
  if (dataSource !== undefined && (typeof dataSource !== 'string' || !DATA_SOURCE_NAME.test(dataSource))) {
    fail('dataSource', `must name one of the host's data sources (letters, digits, "_" and "-", starting with a letter), got ${show(dataSource)}`);
  }

  const variablesInput = root.variables ?? [];
  if (!Array.isArray(variablesInput)) fail('variables', `must be a list, got ${show(variablesInput)}`);
  const variables = (variablesInput as unknown[]).map((item, index) => readVariable(item, `variables[${index}]`, fail));
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

  if (!Array.isArray(root.charts) || root.charts.length === 0) {
    fail('charts', `must be a non-empty list, got ${show(root.charts)}`);
  }
  const chartsInput = root.charts as unknown[];
  if (chartsInput.length > MAX_CHARTS) fail('charts', `has ${chartsInput.length} charts; at most ${MAX_CHARTS} are allowed`);
  const downloads = root.downloads ?? true;
  if (typeof downloads !== 'boolean') fail('downloads', `must be true or false, got ${show(downloads)}`);
  const charts = chartsInput.map((item, index) => readChart(item, `charts[${index}]`, paramToVariable, variables, downloads as boolean, fail));

  return {
    id: root.id as number,
    title,
    ...(dataSource === undefined ? {} : { dataSource: dataSource as string }),
    ...(downloads ? {} : { downloads: false }),
    ...(root.maxAge === undefined ? {} : { maxAge: checkMaxAge(root.maxAge, 'maxAge', fail) }),
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

function readVariable(value: unknown, field: string, fail: Fail): VariableDefinition {
  const item = asRecord(value, field, fail);
  checkKeys(item, ['name', 'kind', 'required', 'everywhere'], field, fail);
  if (typeof item.name !== 'string' || !isHiddenVariableName(item.name)) {
    fail(`${field}.name`, `must be a Hidden Variable name in upper snake case, like ACCT_ID, got ${show(item.name)}`);
  }
  if (!VARIABLE_KINDS.includes(item.kind as VariableKind)) {
    fail(`${field}.kind`, `must be one of ${VARIABLE_KINDS.join(', ')}, got ${show(item.kind)}`);
  }
  const everywhere = item.everywhere ?? false;
  if (typeof everywhere !== 'boolean') fail(`${field}.everywhere`, `must be true or false, got ${show(everywhere)}`);
  const required = item.required ?? everywhere;
  if (typeof required !== 'boolean') fail(`${field}.required`, `must be true or false, got ${show(required)}`);
  if (everywhere && !required) {
    fail(`${field}.required`, 'must be true for a variable marked "everywhere": a token without it must run no chart at all');
  }
  return { name: item.name as string, kind: item.kind as VariableKind, required: required as boolean, ...(everywhere ? { everywhere: true } : {}) };
}

function readChart(
  value: unknown,
  field: string,
  params: ReadonlyMap<string, VariableDefinition>,
  declared: readonly VariableDefinition[],
  downloads: boolean,
  failFile: Fail,
): ChartDefinition {
  const item = asRecord(value, field, failFile);
  checkKeys(item, ['title', 'type', 'sql', 'maxRows', 'formats', 'beginAtZero', 'download'], field, failFile);
  const title = readTitle(item.title, `${field}.title`, failFile);
  // From here on, messages also name the chart by its title.
  const fail: Fail = (at, problem) => failFile(at, `(chart ${JSON.stringify(title)}) ${problem}`);
  if (!CHART_TYPES.includes(item.type as ChartType)) {
    fail(`${field}.type`, `must be one of ${CHART_TYPES.join(', ')}, got ${show(item.type)}`);
  }
  const type = item.type as ChartType;
  if (typeof item.sql !== 'string' || item.sql.trim() === '') fail(`${field}.sql`, `must be a non-empty SQL query, got ${show(item.sql)}`);
  const sql = item.sql as string;
  if (sql.length > MAX_SQL_LENGTH) fail(`${field}.sql`, `is ${sql.length} characters long; at most ${MAX_SQL_LENGTH} are allowed`);
  const maxRows = item.maxRows ?? DEFAULT_MAX_ROWS[type];
  if (!Number.isSafeInteger(maxRows) || (maxRows as number) < 1 || (maxRows as number) > MAX_ROWS_LIMIT) {
    fail(`${field}.maxRows`, `must be an integer from 1 to ${MAX_ROWS_LIMIT}, got ${show(maxRows)}`);
  }
  const formats = item.formats === undefined ? undefined : readColumnFormats(item.formats, `${field}.formats`, fail);
  const beginAtZero = item.beginAtZero;
  if (beginAtZero !== undefined) {
    if (type !== 'line' && type !== 'bar') fail(`${field}.beginAtZero`, `applies to line and bar charts only (the value axis), not to a ${type} chart`);
    if (typeof beginAtZero !== 'boolean') fail(`${field}.beginAtZero`, `must be true or false, got ${show(beginAtZero)}`);
  }
  const variables = readQuery(sql, `${field}.sql`, params, declared, fail);
  return {
    title,
    type,
    sql,
    maxRows: maxRows as number,
    variables,
    ...(formats === undefined ? {} : { formats }),
    ...(type === 'line' || type === 'bar' ? { beginAtZero: (beginAtZero as boolean | undefined) ?? true } : {}),
    download: readDownload(item.download, `${field}.download`, { sql, variables }, params, declared, downloads, fail),
  };
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
  const item = asRecord(value ?? {}, field, fail);
  checkKeys(item, ['sql', 'maxRows'], field, fail);
  const maxRows = item.maxRows ?? DEFAULT_DOWNLOAD_ROWS;
  if (!Number.isSafeInteger(maxRows) || (maxRows as number) < 1 || (maxRows as number) > MAX_DOWNLOAD_ROWS) {
    fail(`${field}.maxRows`, `must be an integer from 1 to ${MAX_DOWNLOAD_ROWS}, got ${show(maxRows)}`);
  }
  if (item.sql === undefined) return { sql: chart.sql, maxRows: maxRows as number, variables: chart.variables };
  if (typeof item.sql !== 'string' || item.sql.trim() === '') fail(`${field}.sql`, `must be a non-empty SQL query, got ${show(item.sql)}`);
  const sql = item.sql as string;
  if (sql.length > MAX_SQL_LENGTH) fail(`${field}.sql`, `is ${sql.length} characters long; at most ${MAX_SQL_LENGTH} are allowed`);
  return { sql, maxRows: maxRows as number, variables: readQuery(sql, `${field}.sql`, params, declared, fail) };
}

function readTitle(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TITLE_LENGTH) {
    fail(field, `must be a non-empty text of at most ${MAX_TITLE_LENGTH} characters, got ${show(value)}`);
  }
  return value as string;
}

function asRecord(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, `must be an object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

function checkKeys(item: Record<string, unknown>, allowed: readonly string[], field: string, fail: Fail): void {
  for (const key of Object.keys(item)) {
    if (!allowed.includes(key)) {
      fail(field ? `${field}.${key}` : key, `is not a known field (known: ${allowed.join(', ')})`);
    }
  }
}
