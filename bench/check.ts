/**
 * `chartio-embed check` as CI runs it (the whole command, in process: host.json read, data source
 * opened, every file read, every query prepared and described): the demo's dashboards and 50
 * generated ones (copies of them, each SQL text distinct), on DuckDB (the demo's 300 000 orders
 * built by its setup) and on PostgreSQL 15, against the baseline of reading and validating the
 * same files. Goal: the whole command within 5 s.
 * @module
 */
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/run.js';
import { loadEachDashboardFile } from '../src/host/definition/load-dashboards.js';
import { openDataSources } from '../src/host/start/open-data-sources.js';
import { createDemoDatabase, DEMO_DATASET_SQL } from '../demo/dataset/demo-dataset.js';
import { loadDemoDatasetIntoPostgres } from '../demo/dataset/postgres-dataset.js';
import { startPostgres } from '../test/launchers/postgres-server.js';
import { medianMs, printTable, type Row } from './format.js';

const DEMO_DASHBOARDS = new URL('../demo/dashboards/', import.meta.url).pathname;
const GENERATED = 50;
const ROUNDS = 3;

/** Median milliseconds of `ROUNDS` runs of `work`, after one to warm up. */
const time = (work: () => Promise<unknown>): Promise<number> => medianMs(ROUNDS, work);

/** The demo's files, then `GENERATED` more made from them (new ids, every SQL text distinct). */
async function writeDashboards(folder: string): Promise<number> {
  const names = (await readdir(DEMO_DASHBOARDS)).filter((name) => name.endsWith('.json'));
  const demo = await Promise.all(names.map(async (name) => JSON.parse(await readFile(join(DEMO_DASHBOARDS, name), 'utf8'))));
  for (const [index, dashboard] of demo.entries()) await writeFile(join(folder, names[index]!), JSON.stringify(dashboard));
  for (let copy = 0; copy < GENERATED; copy++) {
    const from = demo[copy % demo.length];
    const dashboard = { ...from, id: 100_000 + copy, charts: from.charts.map((chart: { sql?: string }) => (chart.sql === undefined ? chart : { ...chart, sql: `/* generated ${copy} */ ${chart.sql}` })) };
    await writeFile(join(folder, `generated-${copy}.json`), JSON.stringify(dashboard));
  }
  return demo.length + GENERATED;
}

/** The whole command on `config`; throws unless it finds no problem. */
async function check(config: string): Promise<void> {
  const out: string[] = [];
  const code = await runCli(['check', '--config', config], { env: {}, out: (text) => out.push(text), err: (text) => out.push(text) });
  if (code !== 0) throw new Error(`check found problems:\n${out.join('')}`);
}

export async function benchCheck(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'chartio-bench-check-'));
  const postgres = await startPostgres();
  try {
    const dashboards = join(folder, 'dashboards');
    await mkdir(dashboards);
    const files = await writeDashboards(dashboards);
    const seed = await createDemoDatabase();
    try {
      await loadDemoDatasetIntoPostgres(postgres.url, seed);
    } finally {
      await seed.close();
    }
    const duckdbConfig = join(folder, 'duckdb.json');
    await writeFile(duckdbConfig, JSON.stringify({ organization: 16417, dashboards, dataSources: { demo: { type: 'duckdb', setup: DEMO_DATASET_SQL } }, frameAncestors: [] }));
    const postgresConfig = join(folder, 'postgres.json');
    await writeFile(postgresConfig, JSON.stringify({ organization: 16417, dashboards, dataSources: { demo: { type: 'postgres', url: postgres.url, connections: 4 } }, frameAncestors: [] }));
    const rows: Row[] = [
      { name: 'read and validate the files', value: await time(() => loadEachDashboardFile(dashboards)), unit: 'ms' },
      // What the DuckDB check spends before checking anything: building the demo's 300 000 orders.
      { name: 'open DuckDB with the demo setup', value: await time(async () => Promise.all(Object.values(await openDataSources({ demo: { type: 'duckdb', path: ':memory:', readOnly: false, setup: [...DEMO_DATASET_SQL] } })).map((source) => source.close()))), unit: 'ms' },
      { name: 'check on DuckDB (setup included)', value: await time(() => check(duckdbConfig)), unit: 'ms' },
      { name: 'check on PostgreSQL', value: await time(() => check(postgresConfig)), unit: 'ms' },
    ];
    printTable(`chartio-embed check: ${files} dashboard files, median of ${ROUNDS} (goal: each check ≤ 5000 ms)`, rows, { baseline: 'read and validate the files', higherIsBetter: false });
  } finally {
    await postgres.stop();
    await rm(folder, { recursive: true, force: true });
  }
}
