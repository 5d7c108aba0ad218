/**
 * The answers of the operator's routes (`GET /stats`, `GET /metrics`, `GET /healthz`), on the
 * admin handler and, when the host's flags allow, on the public one: never cached, never sniffed.
 * @module
 */
import type { HostMetrics } from '../observability/host-metrics.js';
import type { DataSource, HostStats } from '../types.js';
import { bytesResponse } from './bytes-response.js';
import { checkHealth, type HealthReport } from './health-check.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/**
 * An answer of the operator's routes.
 *
 * @example
 * return adminAnswer(404, 'text/plain; charset=utf-8', 'Not found.\n');
 */
export function adminAnswer(status: number, contentType: string, body: string): Response {
  return bytesResponse(status, [['content-type', contentType], ['cache-control', 'no-store'], ['x-content-type-options', 'nosniff']], body);
}

/**
 * `GET /stats`: the counters as JSON.
 *
 * @example
 * return statsAnswer(host.stats());
 */
export function statsAnswer(stats: HostStats): Response {
  return adminAnswer(200, JSON_TYPE, JSON.stringify(stats));
}

/**
 * `GET /metrics`: the Prometheus text.
 *
 * @example
 * return await metricsAnswer(await createHostMetrics());
 */
export async function metricsAnswer(metrics: HostMetrics): Promise<Response> {
  return adminAnswer(200, metrics.contentType, await metrics.metrics());
}

/**
 * `GET /healthz`: 200 when every data source answers, else 503; 503 `closing` at once while the
 * host closes, so balancers move on.
 *
 * @example
 * return await healthAnswer(new Map([['default', database]]), false);
 */
export async function healthAnswer(dataSources: ReadonlyMap<string, DataSource>, closing: boolean): Promise<Response> {
  const report: HealthReport = closing ? { status: 'closing', dataSources: {} } : await checkHealth(dataSources);
  return adminAnswer(report.status === 'ready' ? 200 : 503, JSON_TYPE, JSON.stringify(report));
}

/** The admin port's answer to a method other than GET. */
export function adminMethodNotAllowed(): Response {
  return adminAnswer(405, TEXT_TYPE, 'This address answers GET requests only.\n');
}

/** The admin port's answer to any other path. */
export function adminNotFound(): Response {
  return adminAnswer(404, TEXT_TYPE, 'Not found: the admin port serves /stats, /metrics and /healthz.\n');
}
