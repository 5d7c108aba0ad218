/**
 * A gate inside PostgreSQL that the test opens: a dashboard whose query takes a shared advisory
 * lock waits while the test holds the exclusive one, so a run can be held mid-query in another
 * process, without sleeping, and let go at will.
 * @module
 */
import pg from 'pg';
import { parseDashboardDefinition, type DashboardDefinition } from '../../src/host/index.js';

/** The advisory lock key the gated dashboard waits on. */
const KEY = 4242;

/** The gated dashboard, as a JSON file's content: one number chart that waits at the gate. */
export function gatedDashboardJson(id: number): object {
  return {
    id,
    title: 'Gated',
    variables: [{ name: 'ACCT_ID', kind: 'integer', required: true }],
    charts: [
      {
        title: 'Completed orders',
        type: 'number',
        sql: `SELECT count(*) FROM orders, (SELECT pg_advisory_xact_lock_shared(${KEY})) AS gate WHERE account_id = $ACCT_ID AND status = 'completed'`,
      },
    ],
  };
}

/** The same, parsed. */
export function gatedDashboard(id: number): DashboardDefinition {
  return parseDashboardDefinition(gatedDashboardJson(id), 'gated.json');
}

/**
 * Holds the gate closed from its own connection.
 *
 * @example
 * const gate = await closeGate(postgres.url);
 * await gate.waiting(1); // one query waits at it
 * await gate.open();
 */
export async function closeGate(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [KEY]);
  const observer = new pg.Client({ connectionString: url });
  await observer.connect();
  return {
    /** Resolves once `count` queries wait at the gate (asked of the server, round trip by round trip). */
    async waiting(count = 1): Promise<void> {
      for (;;) {
        const { rows } = await observer.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted", [KEY]);
        if (rows[0].n >= count) return;
      }
    },
    async open(): Promise<void> {
      await client.query('SELECT pg_advisory_unlock($1)', [KEY]);
    },
    async end(): Promise<void> {
      await Promise.allSettled([client.end(), observer.end()]);
    },
  };
}
