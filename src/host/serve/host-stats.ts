/**
 * The host's counters (`GET /stats`, `host.stats()`, and what the metrics read when scraped),
 * summed from the parts that keep them: the page runs, the page store, the run queues, the
 * revocation watch and the request handler (requests that carried no token).
 * @module
 */
import type { QueueCounts } from '../sources/run-queue.js';
import type { StoreCounts } from '../store/page-store.js';
import type { RunCounts } from '../token-pages/page-runs.js';
import type { HostStats } from '../types.js';

/** The counters of each part, read now. */
export interface StatsParts {
  readonly runs: RunCounts;
  readonly stored: StoreCounts;
  readonly queues: Iterable<QueueCounts>;
  /** Requests refused before verification because they carried no token (counted with the rejected tokens). */
  readonly rejectedWithoutToken: number;
  /** Failed reads of the run-time revocation cut-offs (counted with the store's errors). */
  readonly revocationErrors: number;
}

/**
 * One snapshot of the host's counters.
 *
 * @example
 * const stats = sumHostStats({ runs: runs.counts(), stored: store.counts(), queues: [queue.counts()], rejectedWithoutToken: 0, revocationErrors: 0 });
 * stats.queryRuns; // dashboard runs since the start
 */
export function sumHostStats(parts: StatsParts): HostStats {
  const { runs, stored } = parts;
  const queues = { runsRunning: 0, runsQueued: 0, queueFull: 0 };
  for (const { running, queued, refused } of parts.queues) {
    queues.runsRunning += running;
    queues.runsQueued += queued;
    queues.queueFull += refused;
  }
  return {
    ...runs,
    rejectedTokens: runs.rejectedTokens + parts.rejectedWithoutToken,
    ...stored,
    storeErrors: stored.storeErrors + parts.revocationErrors,
    ...queues,
  };
}
