/**
 * The few pure helpers every framework page shares: what its date range and dashboard picker
 * turn into on the element. Kept framework-free so the four pages differ only in framework code.
 * @module
 */
import type { ChartioErrorDetail } from '../../../src/element/index.js';

/** The filters the element's `filters` property gets. */
export type Filters = Record<string, string | readonly string[]>;

/**
 * The `filters` property for a date range: `DATE_RANGE` when both ends are set and in order,
 * else no filter (a half-typed range must not cost a token request).
 * @example
 * dateRangeFilters('2015-01-01', '2015-06-30'); // { DATE_RANGE: ['2015-01-01', '2015-06-30'] }
 * dateRangeFilters('2015-06-30', '2015-01-01'); // {}
 */
export function dateRangeFilters(from: string, to: string): Filters {
  return from && to && from <= to ? { DATE_RANGE: [from, to] } : {};
}

/**
 * The element's `base-url` for a dashboard on the host.
 * @example
 * dashboardUrl('http://127.0.0.1:8081/d', 38727); // 'http://127.0.0.1:8081/d/38727'
 */
export function dashboardUrl(dashboardBase: string, dashboard: number): string {
  return `${dashboardBase}/${dashboard}`;
}

/**
 * One line for the page's event log.
 * @example
 * describeError({ phase: 'token', status: 403, code: 'dashboard_not_allowed', message: '…' });
 * // 'token: dashboard_not_allowed (403)'
 */
export function describeError(error: ChartioErrorDetail): string {
  return `${error.phase}: ${error.code ?? 'error'}${error.status ? ` (${error.status})` : ''}`;
}
