/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temp folder, `pg_ctl
 * start` on a free loopback port, `pg_ctl stop -m immediate` and the folder removed at the end.
 * PostgreSQL refuses to run as root (CI runs as root), so as root the cluster belongs to the
 * Debian package's `postgres` user, run through `runuser`.
 * @module
 */
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, requireExecutable, runCommand } from './free-port.js';

const BIN = '/usr/lib/postgresql/15/bin';

/** A running PostgreSQL server. */
export interface PostgresServer {
  readonly port: number;
  /** `postgresql://app@127.0.0.1:{port}/app`: the superuser `app`, trust authentication, on loopback only. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a new cluster with a database `app` owned by the user `app`. Fails at once, naming the
 * `apt-get` line, when the `postgresql` package is missing.
 *
 * @example
 * const postgres = await startPostgres();
 * // … new pg.Pool({ connectionString: postgres.url }) …
 * await postgres.stop();
 */
export async function startPostgres(): Promise<PostgresServer> {
  requireExecutable(join(BIN, 'initdb'), 'postgresql', 'PostgreSQL');
  const folder = await mkdtemp(join(tmpdir(), 'chartio-pg-'));
  const asRoot = process.getuid?.() === 0;
  // As root, every command runs as `postgres`, which must own the folder.
  const run = (command: string, args: string[]) => (asRoot ? runCommand('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args]) : runCommand(join(BIN, command), args));
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    await chown(folder, uid, gid);
  }
  const data = join(folder, 'data');
  const port = await freePort();
  try {
    await run('initdb', ['-D', data, '-A', 'trust', '-U', 'app', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
    const settings = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    await run('pg_ctl', ['-D', data, '-o', settings, '-l', join(folder, 'log'), '-w', '-t', '60', 'start']);
    await run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'app', 'app']);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `postgresql://app@127.0.0.1:${port}/app`,
    stop() {
      stopped ??= run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
        .catch(() => undefined)
        .then(() => rm(folder, { recursive: true, force: true }));
      return stopped;
    },
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([runCommand('id', ['-u', 'postgres']), runCommand('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
