/**
 * Fixtures for the dashboard host tests: the demo database (real DuckDB), a clock the test moves
 * by hand, tokens from the real signer or forged with node:crypto, a host served over real HTTP
 * on 127.0.0.1 through `toNodeHandler`, and a database gate that holds queries until the test
 * lets them go (to see the Loading line before the dashboard, without sleeping).
 * @module
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createEmbedSigner, toNodeHandler } from '../../../src/server/index.js';
import { createDashboardHost, loadDashboardFiles } from '../../../src/host/index.js';
import type { DashboardHost, DashboardHostOptions, DataSource, HostLogEntry } from '../../../src/host/index.js';
import { listenLocal } from '../../launchers/listen-local.js';
import { DEMO_DASHBOARDS } from '../../support/demo-database.js';

// The demo database and dashboards: one fixture for every test (test/support/demo-database.ts).
export { DEMO_DASHBOARDS, openDemoDatabase } from '../../support/demo-database.js';

export const SECRET = 'host-test-embed-secret-0123456789-abcdefghijkl';
export const OTHER_SECRET = 'another-organization-secret-9876543210-zyxwvu';
export const ORGANIZATION = 16417;
export const OVERVIEW = 38727;
export const PRODUCT_MIX = 38728;
export const SALES_AT_A_GLANCE = 38729;
/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1);
export const FRAME_ANCESTOR = 'https://app.example.com';

/** A clock that moves only when the test says so (milliseconds). */
export function manualClock(start = T0) {
  let current = start;
  return {
    now: (): number => current,
    advance(ms: number): void {
      current += ms;
    },
    seconds: (): number => Math.floor(current / 1000),
  };
}

/** Signs a token with the real signer at the clock's time (a fresh signer: no reuse memo across calls). */
export async function signToken(clock: { now: () => number }, input: { dashboard: number; env?: Record<string, unknown>; ttl?: number; secret?: string; organization?: number }): Promise<string> {
  const signer = createEmbedSigner({ secret: input.secret ?? SECRET, organization: input.organization ?? ORGANIZATION, now: clock.now });
  const answer = await signer.sign({ dashboard: input.dashboard, env: input.env ?? {}, ttl: input.ttl ?? 900 });
  return answer.token;
}

/** Signs any header and payload by hand (node:crypto), for tokens the signer would refuse to make. */
export function forgeToken(header: object, payload: object, secret = SECRET): string {
  const encode = (text: string) => Buffer.from(text).toString('base64url');
  const input = `${encode(JSON.stringify(header))}.${encode(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * Wraps a real data source so each query waits until `release()`: the test decides when the
 * queries finish. Queries already released pass straight through.
 */
export function gatedDatabase(inner: DataSource) {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let waiting = 0;
  const arrivals: (() => void)[] = [];
  const database: DataSource = {
    async query(sql, params, options) {
      waiting++;
      for (const arrived of arrivals.splice(0)) arrived();
      await gate;
      waiting--;
      return inner.query(sql, params, options);
    },
    close: () => inner.close(),
  };
  return {
    database,
    release: () => open(),
    /** Closes the gate again for the next run. */
    rearm: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    waiting: () => waiting,
    /** Resolves once a query is held at the gate (at once if one is). */
    held: (): Promise<void> => (waiting > 0 ? Promise.resolve() : new Promise<void>((resolve) => arrivals.push(resolve))),
  };
}

export interface ServedHost {
  host: DashboardHost;
  /** `http://127.0.0.1:{port}` */
  origin: string;
  logs: HostLogEntry[];
  /** GET a path; resolves to status, headers and the whole body text. */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; text: string }>;
  close(): Promise<void>;
}

/** Creates a host over the demo dashboards (unless given others) and serves it on 127.0.0.1. */
export async function serveHost(options: Partial<DashboardHostOptions> & Pick<DashboardHostOptions, 'database'>): Promise<ServedHost> {
  const logs: HostLogEntry[] = [];
  const host = createDashboardHost({
    organization: ORGANIZATION,
    secret: SECRET,
    dashboards: options.dashboards ?? (await loadDashboardFiles(DEMO_DASHBOARDS)),
    frameAncestors: [FRAME_ANCESTOR],
    log: (entry) => logs.push(entry),
    ...options,
  });
  const server: Server = createServer(toNodeHandler(host));
  const { origin } = await listenLocal(server);
  return {
    host,
    origin,
    logs,
    async get(path, headers = {}) {
      const response = await fetch(origin + path, { headers });
      return { status: response.status, headers: response.headers, text: await response.text() };
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      await host.close();
    },
  };
}

/** A host's log kept in memory, with a wait for an event: for tests of what a host logs. */
export interface RecordedLog {
  entries: HostLogEntry[];
  /** The host's `log` option. */
  log(entry: HostLogEntry): void;
  count(event: string): number;
  /** Resolves once `wanted` entries of `event` (default 1) have been logged. */
  logged(event: string, wanted?: number): Promise<void>;
}

/** Starts a {@link RecordedLog}: pass its `log` to the host. */
export function recordLog(): RecordedLog {
  const entries: HostLogEntry[] = [];
  const waiters = new Set<() => void>();
  const count = (event: string) => entries.filter((entry) => entry.event === event).length;
  return {
    entries,
    log(entry) {
      entries.push(entry);
      for (const wake of waiters) wake();
    },
    count,
    logged: (event, wanted = 1) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (count(event) < wanted) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
  };
}

/** The dashboard URL path for a token. */
export function dashboardPath(dashboard: number, token: string, extraQuery = ''): string {
  return `/d/${dashboard}/?embed_token=${encodeURIComponent(token)}${extraQuery}`;
}

/** The text of the chart with this title in a page ('' when absent), for number checks. */
export function chartHtml(page: string, title: string): string {
  const at = page.indexOf(`<h2>${title}</h2>`);
  if (at === -1) return '';
  const start = page.lastIndexOf('<figure', at);
  return page.slice(start, page.indexOf('</figure>', at) + '</figure>'.length);
}

/** Formats like the host does (en-US, at most two decimals), to compare numbers on a page. */
export function formatted(value: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}
