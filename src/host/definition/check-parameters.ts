/**
 * The tenant check, asked of the database: which parameters each chart's and download's query
 * really has, as the data source would send it. The host's own reading of SQL
 * (`sql-parameters.ts`) decides what it binds; if the database ends a comment or a string
 * elsewhere, a `$ACCT_ID` the host counts as a filter may be text to the database, and the query
 * would run for every tenant. So a dashboard is refused at load when the database does not read
 * each `everywhere` parameter in every query, or reads other parameters than the host does.
 * @module
 */
import { DashboardDefinitionError, parameterNames } from './dashboard-definition.js';
import { findSqlParameters } from './sql-parameters.js';
import type { BoundValue, DashboardDefinition, DataSource, QueryParams, VariableDefinition } from '../types.js';

/** What a source answered for one SQL text, shared by the dashboards (and the charts) that run it. */
export type ParameterAnswers = Map<DataSource, Map<string, Promise<string[]>>>;

/**
 * Asks `source` which parameters each query of `dashboard` has (its charts' SQL, and their
 * downloads' when they have their own), all at once, and throws a {@link DashboardDefinitionError}
 * naming the file, the chart and the variable when the database does not read an `everywhere`
 * parameter, reads parameters the host's reading does not find (or misses some it finds), or
 * cannot prepare the query. A source without `parameters` leaves the host's own reading, which
 * {@link parseDashboardDefinition} already checked. Pass one `answers` map to check many
 * dashboards: a SQL text is then prepared once per source.
 *
 * @example
 * const database = await createDuckDbDataSource({ path: 'analytics.duckdb' });
 * await checkDashboardParameters(dashboard, database);
 * // throws 'dashboards/38727.json: charts[2].sql (chart "Orders") the database does not read $ACCT_ID …'
 */
export async function checkDashboardParameters(dashboard: DashboardDefinition, source: DataSource, answers: ParameterAnswers = new Map()): Promise<void> {
  const [first] = await dashboardParameterProblems(dashboard, source, answers);
  if (first) throw new DashboardDefinitionError(dashboard.source, first.field, `(chart ${JSON.stringify(first.chart)}) ${first.problem}`);
}

/** One query's problem: the query's field (`charts[2].sql`), its chart's title, and what is wrong. */
export interface QueryProblem {
  readonly field: string;
  readonly chart: string;
  readonly problem: string;
}

/**
 * Every problem {@link checkDashboardParameters} would throw the first of, in the file's order:
 * for `chartio-embed check`, which reports them all.
 *
 * @example
 * const problems = await dashboardParameterProblems(dashboard, database);
 * problems[0]; // { field: 'charts[2].sql', chart: 'Orders', problem: 'the database does not read $ACCT_ID …' }
 */
export async function dashboardParameterProblems(dashboard: DashboardDefinition, source: DataSource, answers: ParameterAnswers = new Map()): Promise<QueryProblem[]> {
  if (!source.parameters) return [];
  const params = untypedValues(dashboard.variables);
  const queries = dashboardQueries(dashboard);
  let known = answers.get(source);
  if (!known) answers.set(source, (known = new Map()));
  const cache = known;
  const problems = await Promise.all(
    queries.map(async ({ sql }) => {
      let answer = cache.get(sql);
      if (!answer) cache.set(sql, (answer = source.parameters!(sql, params)));
      try {
        return parameterProblem(sql, await answer, dashboard.variables);
      } catch (error) {
        return `cannot be prepared by the database, so its parameters cannot be checked (the database says: ${firstLine(error)}); fix the query, or the data source it runs on`;
      }
    }),
  );
  return queries.flatMap(({ field, chart }, index) => (problems[index] === undefined ? [] : [{ field, chart, problem: problems[index]! }]));
}

/** A dashboard's queries: each chart's SQL, and its download's when it has its own. */
export function dashboardQueries(dashboard: DashboardDefinition): { field: string; chart: string; index: number; sql: string }[] {
  const queries: { field: string; chart: string; index: number; sql: string }[] = [];
  dashboard.charts.forEach((chart, index) => {
    if (chart.type === 'text') return; // no query
    queries.push({ field: `charts[${index}].sql`, chart: chart.title, index, sql: chart.sql });
    if (chart.download && chart.download.sql !== chart.sql) queries.push({ field: `charts[${index}].download.sql`, chart: chart.title, index, sql: chart.download.sql });
  });
  return queries;
}

/** The first line of what the database said, trimmed (a driver's message may run on with context). */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.trim();
}

/**
 * Checks every dashboard on its data source with {@link checkDashboardParameters}, concurrently
 * (each source's pool bounds how many prepares run at once), each SQL text prepared once per
 * source; rejects with the first dashboard's problem in `dashboards`' order.
 *
 * @example
 * await checkAllDashboardParameters(dashboards, (dashboard) => dataSources[dashboard.dataSource ?? 'default']);
 */
export async function checkAllDashboardParameters(dashboards: readonly DashboardDefinition[], sourceOf: (dashboard: DashboardDefinition) => DataSource | undefined): Promise<void> {
  const answers: ParameterAnswers = new Map();
  const outcomes = await Promise.allSettled(
    dashboards.map((dashboard) => {
      const source = sourceOf(dashboard);
      return source ? checkDashboardParameters(dashboard, source, answers) : Promise.resolve();
    }),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Why the database's reading (`found`) of `sql` is refused, if it is. */
function parameterProblem(sql: string, found: readonly string[], variables: readonly VariableDefinition[]): string | undefined {
  for (const [index, variable] of variables.entries()) {
    if (!variable.everywhere) continue;
    const missing = parameterNames(variable).filter((param) => !found.includes(param));
    if (missing.length > 0) {
      const params = missing.map((param) => `$${param}`).join(' and ');
      return (
        `the database does not read ${params} in this query (it reads ${listParameters(found)}), which variables[${index}] marks "everywhere": ` +
        `a comment, string or quoted name hides it from the database. Put ${params} in the query's own WHERE clause, outside comments and strings, ` +
        `so that no viewer sees rows of another ${variable.name}`
      );
    }
  }
  const ours = findSqlParameters(sql);
  if (ours.length !== new Set(found).size || ours.some((param) => !found.includes(param))) {
    return (
      `the database reads ${listParameters(found)} in this query, where the host reads ${listParameters(ours)}: ` +
      'the two end a comment, a string or a name in different places, or the query has a positional parameter ($1, ?). ' +
      'Rewrite that part so that both read the same parameters'
    );
  }
  return undefined;
}

/**
 * A NULL of each parameter's type: what the source needs to send the query as a run would.
 *
 * @example
 * untypedValues(dashboard.variables); // { ACCT_ID: { type: 'text', value: null }, … }
 */
export function untypedValues(variables: readonly VariableDefinition[]): QueryParams {
  const params: Record<string, BoundValue> = {};
  for (const variable of variables) {
    const type: BoundValue['type'] = variable.kind === 'date_range' ? 'date' : variable.kind;
    for (const name of parameterNames(variable)) params[name] = { type, value: null } as BoundValue;
  }
  return params;
}

function listParameters(names: readonly string[]): string {
  return names.length === 0 ? 'no parameter' : [...new Set(names)].map((name) => `$${name}`).join(', ');
}
