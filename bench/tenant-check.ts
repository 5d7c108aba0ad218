/**
 * What the tenant check (the database asked which parameters each query has) adds to a host's
 * start, with many dashboards: 100 dashboards of six to seven charts each, every SQL text distinct
 * (so none is prepared once for several), checked on DuckDB and on PostgreSQL 15 over the demo's
 * rows, against reading and validating the same definitions (what start did before).
 * @module
 */
import { checkAllDashboardParameters, createPostgresDataSource, loadDashboardFiles, parseDashboardDefinition, type DashboardDefinition } from '../src/host/index.js';
import { createDemoDatabase } from '../demo/dataset/demo-dataset.js';
import { loadDemoDatasetIntoPostgres } from '../demo/dataset/postgres-dataset.js';
import { startPostgres } from '../test/launchers/postgres-server.js';
import { medianMs, printTable, type Row } from './format.js';

const DEMO_DASHBOARDS = new URL('../demo/dashboards/', import.meta.url).pathname;
const COPIES = 50;
const ROUNDS = 3;

/** The demo's dashboards, `COPIES` times each, every chart's SQL made distinct by a comment. */
function manyDashboards(demo: readonly DashboardDefinition[]): DashboardDefinition[] {
  return Array.from({ length: COPIES }, (_, copy) =>
    demo.map((dashboard) => ({
      ...dashboard,
      id: dashboard.id + copy * 1000,
      charts: dashboard.charts.map((chart) => ({ ...chart, sql: `/* copy ${copy} */ ${chart.sql}`, download: false as const })),
    })),
  ).flat();
}

/** Median milliseconds of `ROUNDS` runs of `work`, after one to warm up. */
const time = (work: () => Promise<unknown>): Promise<number> => medianMs(ROUNDS, work);

export async function benchTenantCheck(): Promise<void> {
  const postgres = await startPostgres();
  const duckdb = await createDemoDatabase();
  try {
    await loadDemoDatasetIntoPostgres(postgres.url, duckdb);
    const warehouse = await createPostgresDataSource({ connectionString: postgres.url, connections: 4 });
    try {
      const demo = await loadDashboardFiles(DEMO_DASHBOARDS);
      const dashboards = manyDashboards(demo);
      const queries = dashboards.reduce((sum, dashboard) => sum + dashboard.charts.length, 0);
      // What start did before: each definition read and validated (JSON text to definition).
      const files = dashboards.map((dashboard) => JSON.stringify({ id: dashboard.id, title: dashboard.title, variables: dashboard.variables, charts: dashboard.charts.filter((chart) => chart.type !== 'text').map(({ title, type, sql }) => ({ title, type, sql })) }));
      const rows: Row[] = [
        { name: 'read and validate', value: await time(async () => files.map((text, index) => parseDashboardDefinition(JSON.parse(text), `${index}.json`))), unit: 'ms' },
        // A fresh answer cache per run: every text is prepared again (DuckDB also keeps it for the first run).
        { name: 'check on DuckDB (4 connections)', value: await time(() => checkAllDashboardParameters(dashboards, () => duckdb)), unit: 'ms' },
        { name: 'check on PostgreSQL (4 connections)', value: await time(() => checkAllDashboardParameters(dashboards, () => warehouse)), unit: 'ms' },
      ];
      printTable(`The tenant check at start: ${dashboards.length} dashboards, ${queries} distinct queries, median of ${ROUNDS}`, rows, { baseline: 'read and validate', higherIsBetter: false });
    } finally {
      await warehouse.close();
    }
  } finally {
    await duckdb.close();
    await postgres.stop();
  }
}
