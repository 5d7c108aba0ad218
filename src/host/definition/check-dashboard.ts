/**
 * One dashboard checked against its real data source with no viewer, for `chartio-embed check`:
 * every query prepared with its typed parameters (never run over the data), the tenant check of
 * `check-parameters.ts`, and each chart's columns against its type and its formats
 * (`check-columns.ts`). Every problem is returned, each naming the file, the field and the chart.
 * @module
 */
import { chartColumnProblems, formatColumnProblems } from './check-columns.js';
import { dashboardParameterProblems, dashboardQueries, firstLine, untypedValues, type ParameterAnswers, type QueryProblem } from './check-parameters.js';
import type { DashboardDefinition, DataSource } from '../types.js';

/** A problem `check` reports: one line, `{file}: {field} (chart "{title}") {problem}`. */
export interface DashboardProblem extends QueryProblem {
  /** The dashboard's file. */
  readonly file: string;
}

/**
 * The problems of `dashboard` on `source`, in the file's order (none: it is fine). Pass one
 * `answers` map for many dashboards: each SQL text's parameters are then asked once per source.
 *
 * @example
 * const problems = await checkDashboardQueries(dashboard, database);
 * problems.map(formatProblem); // ['dashboards/1.json: charts[0].sql (chart "Revenue") formats.amout names a column the query does not return (it returns "amount")']
 */
export async function checkDashboardQueries(dashboard: DashboardDefinition, source: DataSource, answers: ParameterAnswers = new Map()): Promise<DashboardProblem[]> {
  const parameterProblems = await dashboardParameterProblems(dashboard, source, answers);
  const unprepared = new Set(parameterProblems.filter((item) => item.problem.startsWith('cannot be prepared')).map((item) => item.field));
  const params = untypedValues(dashboard.variables);
  const columnProblems = await Promise.all(
    dashboardQueries(dashboard).map(async ({ field, chart, index, sql }): Promise<QueryProblem[]> => {
      if (!source.describe || unprepared.has(field)) return [];
      const definition = dashboard.charts[index]!;
      let columns;
      try {
        columns = await source.describe(sql, params);
      } catch (error) {
        return [{ field, chart, problem: `cannot be prepared by the database (it says: ${firstLine(error)}); fix the query` }];
      }
      // A download's own query is a CSV: any columns do.
      if (field.endsWith('.download.sql')) return [];
      return [...chartColumnProblems(definition, columns), ...formatColumnProblems(definition.formats, columns)].map((problem) => ({ field, chart, problem }));
    }),
  );
  const byField = new Map<string, QueryProblem[]>();
  for (const item of [...parameterProblems, ...columnProblems.flat()]) byField.set(item.field, [...(byField.get(item.field) ?? []), item]);
  // The file's order: charts[0].sql, charts[0].download.sql, charts[1].sql, …
  return dashboardQueries(dashboard).flatMap(({ field }) => (byField.get(field) ?? []).map((item) => ({ file: dashboard.source, ...item })));
}

/**
 * A problem as the one line `check` prints.
 *
 * @example
 * formatProblem({ file: 'd/1.json', field: 'charts[0].sql', chart: 'Revenue', problem: 'returns 1 column ("total"); …' });
 * // 'd/1.json: charts[0].sql (chart "Revenue") returns 1 column ("total"); …'
 */
export function formatProblem(problem: DashboardProblem): string {
  return `${problem.file}: ${problem.field} (chart ${JSON.stringify(problem.chart)}) ${problem.problem}`;
}
