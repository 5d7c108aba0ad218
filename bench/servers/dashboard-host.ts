// The reference dashboard host as the demo runs it (demo dataset in DuckDB, the demo's
// dashboards) behind toNodeHandler on node:http, in a process of its own so load from the
// benchmark does not share its event loop. Tokens are signed by the parent with BENCH_SECRET.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createDashboardHost, loadDashboardFiles } from '../../src/host/index.js';
import { toNodeHandler } from '../../src/server/index.js';
import { createDemoDatabase } from '../../demo/dataset/demo-dataset.js';
import { BENCH_SECRET, ORGANIZATION, announce } from './session.js';

const [database, dashboards] = await Promise.all([
  createDemoDatabase(),
  loadDashboardFiles(fileURLToPath(new URL('../../demo/dashboards/', import.meta.url))),
]);
const host = createDashboardHost({ organization: ORGANIZATION, secret: BENCH_SECRET, dashboards, database, frameAncestors: ['http://127.0.0.1:8080'] });
announce(createServer(toNodeHandler(host)));
