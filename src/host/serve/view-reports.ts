/**
 * What the host tells its metrics and its audit log about each dashboard view (a page or data
 * request that carried a token) and each CSV download, once its answer is complete: a refusal's
 * code in the metrics, one audit line (written by `../audit-log.ts`, which hashes the token and
 * redacts the env).
 * @module
 */
import type { AuditLog } from '../observability/audit-log.js';
import type { MetricsRecorder } from '../observability/host-metrics.js';
import type { PageOutcome } from '../token-pages/page-outcome.js';
import type { DownloadReport } from './download-route.js';

/** A dashboard view as the request handler reports it. */
export interface ViewReport {
  readonly route: 'page' | 'data';
  readonly token: string;
  readonly dashboard: number;
  readonly outcome: PageOutcome;
  /** The status sent. */
  readonly status: number;
  /** `performance.now()` when the request arrived. */
  readonly started: number;
}

/** Who listens to the reports, and what the audit lines carry besides them. */
export interface ViewReportsOptions {
  readonly metrics: MetricsRecorder | undefined;
  readonly audit: AuditLog | undefined;
  readonly organization: number;
  readonly now: () => number;
}

/** Where views and downloads are reported; each is undefined when neither metrics nor the audit log listens, so a view costs nothing to report then. */
export interface ViewReports {
  readonly view: ((view: ViewReport) => void) | undefined;
  readonly download: ((download: DownloadReport) => void) | undefined;
}

/**
 * The reporters of one host.
 *
 * @example
 * const reports = viewReports({ metrics, audit, organization: 16417, now: Date.now });
 * reports.view?.({ route: 'page', token, dashboard: 38727, outcome, status: 200, started });
 */
export function viewReports(options: ViewReportsOptions): ViewReports {
  const { metrics, audit, organization, now } = options;
  if (!metrics && !audit) return { view: undefined, download: undefined };
  const durationMs = (started: number) => Math.round((performance.now() - started) * 1000) / 1000;

  /** Metrics' refusals by code, and the audit line, once the view's answer is complete. */
  function view(report: ViewReport): void {
    const { outcome } = report;
    if (outcome.kind === 'refused') metrics?.refused(outcome.code);
    if (!audit) return;
    const time = new Date(now()).toISOString();
    const write = (code: string, status: number) =>
      audit.write({
        time,
        organization,
        dashboard: report.dashboard,
        route: report.route,
        rawToken: report.token,
        env: outcome.kind === 'ready' ? outcome.page.claims.env : outcome.claims?.env,
        served: outcome.kind === 'refused' ? 'refused' : outcome.via,
        durationMs: durationMs(report.started),
        status,
        code,
      });
    if (outcome.kind === 'refused') write(outcome.code, report.status);
    else if (outcome.kind === 'ready' || report.route === 'data') write(report.status === 200 ? 'ok' : 'internal_error', report.status);
    // A streamed page: complete when its run ends (its status was 200 from the start).
    else outcome.page.then(() => write('ok', report.status), () => write('internal_error', report.status));
  }

  /** A download's refusal in the metrics (as a page's), and its audit line, once it has ended. */
  function download(report: DownloadReport): void {
    if (report.refused && (report.code.startsWith('token_') || report.code === 'queue_full')) metrics?.refused(report.code);
    if (!audit) return;
    const { progress } = report;
    audit.write({
      time: new Date(now()).toISOString(),
      organization,
      dashboard: report.dashboard,
      route: 'download',
      chart: report.chart,
      rawToken: report.token,
      env: report.claims?.env,
      served: report.refused ? 'refused' : 'run',
      durationMs: durationMs(report.started),
      status: report.status,
      code: report.code,
      ...(progress ? { rows: progress.rows, bytes: progress.bytes, truncated: progress.truncated !== undefined } : {}),
    });
  }

  return { view, download };
}
