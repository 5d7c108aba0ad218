/**
 * `GET /healthz`, for load balancers: ready (200) when every data source answers a trivial query
 * within a bound, unavailable (503) when one does not, or while the host is closing (so a
 * balancer stops sending it requests while it finishes those under way). The shared cache is
 * reported but does not decide: without Redis the host still serves.
 * @module
 */
import type { DataSource } from '../types.js';

/** What `/healthz` answers, as JSON. */
export interface HealthReport {
  status: 'ready' | 'unavailable' | 'closing';
  /** Each data source: `ok`, or `failed` (no detail: the answer is public). */
  dataSources: Record<string, 'ok' | 'failed'>;
}

/** How long a data source may take to answer before it counts as failed, in milliseconds. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Asks every data source at once (its `ping()`, or `SELECT 1`).
 *
 * @example
 * const report = await checkHealth(new Map([['warehouse', warehouse]]));
 * report.status; // 'ready'
 */
export async function checkHealth(sources: ReadonlyMap<string, DataSource>): Promise<HealthReport> {
  const entries = await Promise.all(
    [...sources].map(async ([name, source]) => [name, (await answers(source)) ? 'ok' : 'failed'] as const),
  );
  const dataSources = Object.fromEntries(entries);
  return { status: entries.every(([, state]) => state === 'ok') ? 'ready' : 'unavailable', dataSources };
}

async function answers(source: DataSource): Promise<boolean> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(false);
    }, PING_TIMEOUT_MS);
  });
  const ping = (source.ping ? source.ping() : source.query('SELECT 1', {}, { maxRows: 1, signal: controller.signal, timeoutMs: PING_TIMEOUT_MS })).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
