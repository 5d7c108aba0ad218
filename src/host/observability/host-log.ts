/**
 * The host's log lines, formatted here and nowhere else: the line written when the application
 * gives no `log` (one JSON object on stderr), and the `detail` of an entry that reports an error
 * (its name and message: never its stack, which could carry a token or a query's values into a
 * log that outlives them).
 * @module
 */
import type { HostLogEntry } from '../types.js';

/**
 * One JSON line on stderr per entry, marked with where it comes from: the host's log when the
 * application gives none.
 *
 * @example
 * defaultLog({ level: 'warn', event: 'store_unavailable', message: 'the shared Redis cache does not answer' });
 * // stderr: {"source":"chartio-embed/host","level":"warn","event":"store_unavailable",…}
 */
export function defaultLog(entry: HostLogEntry): void {
  console.error(JSON.stringify({ source: 'chartio-embed/host', ...entry }));
}

/**
 * An error's name and message, for a log entry's `detail` (never a stack, never the token).
 *
 * @example
 * log({ level: 'error', event: 'page_failed', message: 'rendering a dashboard failed', detail: errorDetail(error) });
 * errorDetail(new TypeError('x')); // 'TypeError: x'
 */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
