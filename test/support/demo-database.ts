/**
 * The demo database, the one way every test gets it: the demo's dataset (demo/dataset) in a real
 * in-memory DuckDB, opened in the test's own process, or as the `dataSources` entry of a host.json
 * when the host under test is the CLI's and opens it itself. With the demo's dashboard files.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { createDemoDatabase, DEMO_DATASET_SQL } from '../../demo/dataset/demo-dataset.js';
import type { DataSource } from '../../src/host/index.js';

/** The demo's dashboard files (38727, 38728, 38729): the folder, for `loadDashboardFiles` or a host.json. */
export const DEMO_DASHBOARDS = fileURLToPath(new URL('../../demo/dashboards/', import.meta.url));

/**
 * Opens the demo database with two connections (a host runs a dashboard's charts side by side).
 * A test file opens one in `before` and closes it in `after`; opening takes a few hundred ms.
 *
 * @example
 * let database: DataSource;
 * before(async () => (database = await openDemoDatabase()));
 * after(() => database.close());
 */
export function openDemoDatabase(): Promise<DataSource> {
  return createDemoDatabase({ connections: 2 });
}

/**
 * The demo database as a host.json `dataSources` (one source named `demo`: an in-memory DuckDB
 * built by the demo's statements), for a host the test starts through the CLI.
 *
 * @example
 * await writeFile(file, JSON.stringify({ organization: 16417, dashboards: DEMO_DASHBOARDS, dataSources: demoDataSources(), frameAncestors: [] }));
 */
export function demoDataSources(): { demo: { type: 'duckdb'; path: ':memory:'; setup: readonly string[] } } {
  return { demo: { type: 'duckdb', path: ':memory:', setup: DEMO_DATASET_SQL } };
}
