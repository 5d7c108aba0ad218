/**
 * The optional packages a host configuration needs, all looked up at start before anything
 * opens: a host missing several says so once, with one install command, rather than one package
 * per restart (pg, then echarts, then redis).
 * @module
 */
import { createRequire } from 'node:module';
import type { HostConfig } from '../config/host-config.js';
import { needsEcharts } from '../page/render-page.js';
import { requireOptionalPeers, type OptionalPeer } from '../sources/optional-peer.js';
import type { DashboardDefinition } from '../types.js';

/** Each data source type's driver. */
const DRIVERS: Readonly<Record<HostConfig['dataSources'][string]['type'], OptionalPeer>> = {
  duckdb: { specifier: '@duckdb/node-api', purpose: 'The DuckDB data source', load: () => import('@duckdb/node-api') },
  postgres: { specifier: 'pg', purpose: 'The PostgreSQL data source', load: () => import('pg') },
  mysql: { specifier: 'mysql2', purpose: 'The MySQL data source', load: () => import('mysql2') },
};

/**
 * Throws one `MissingPeerError` naming every optional package `config` and its `dashboards`
 * need that is not installed (drivers, Redis's client, the metrics library, ECharts).
 *
 * @example
 * await requireHostPeers(config, dashboards);
 * // 'Packages the host needs are not installed: pg (the PostgreSQL data source), redis (the shared Redis cache). Install them with: npm install pg redis'
 */
export async function requireHostPeers(config: HostConfig, dashboards: readonly DashboardDefinition[]): Promise<void> {
  const peers: OptionalPeer[] = Object.values(config.dataSources).map((source) => DRIVERS[source.type]);
  if (config.redis) peers.push({ specifier: 'redis', purpose: 'The shared Redis cache', load: () => import('redis') });
  if (config.metrics) peers.push({ specifier: 'prom-client', purpose: 'Serving metrics', load: () => import('prom-client') });
  if (dashboards.some(needsEcharts)) {
    // Found, not imported here: the charts load it (synchronously) when they first draw (charts/echarts-peer.ts).
    peers.push({ specifier: 'echarts', purpose: 'Drawing the charts as SVG', load: async () => createRequire(import.meta.url).resolve('echarts') });
  }
  await requireOptionalPeers(peers);
}
