/**
 * A throwaway MariaDB for tests and benchmarks: `mariadb-install-db` in a temp folder, `mariadbd`
 * on a free loopback port (no name resolution, its socket and pid file in the folder), killed and
 * the folder removed at the end. As root (CI), `mariadbd` needs `--user=mysql`, and the Debian
 * package's `mysql` user must own the folder.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, requireExecutable, runCommand } from './free-port.js';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/** A running MariaDB server. */
export interface MariaDbServer {
  readonly port: number;
  /** `mysql://root@127.0.0.1:{port}/app`: the superuser `root`, no password, on loopback only. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a new server with an empty database `app`. Fails at once, naming the `apt-get` line,
 * when the `mariadb-server` package is missing.
 *
 * @example
 * const mariadb = await startMariaDb();
 * // … createMySqlDataSource({ url: mariadb.url }) …
 * await mariadb.stop();
 */
export async function startMariaDb(): Promise<MariaDbServer> {
  requireExecutable(MARIADBD, 'mariadb-server', 'MariaDB');
  const folder = await mkdtemp(join(tmpdir(), 'chartio-mariadb-'));
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? ['--user=mysql'] : [];
  if (asRoot) {
    const [uid, gid] = await Promise.all([runCommand('id', ['-u', 'mysql']), runCommand('id', ['-g', 'mysql'])]);
    await chown(folder, Number(uid.trim()), Number(gid.trim()));
  }
  const data = join(folder, 'data');
  const port = await freePort();
  let child: ChildProcess | undefined;
  try {
    await runCommand(INSTALL_DB, [`--datadir=${data}`, ...user, '--auth-root-authentication-method=normal', '--skip-test-db']);
    child = await launch([
      '--no-defaults',
      `--datadir=${data}`,
      ...user,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(folder, 'sock')}`,
      `--pid-file=${join(folder, 'pid')}`,
      '--skip-name-resolve',
      // A test server: no durability, little memory.
      '--innodb-flush-log-at-trx-commit=0',
      '--innodb-buffer-pool-size=64M',
      '--max-connections=200',
    ]);
    await runCommand('/usr/bin/mariadb', ['--no-defaults', '-h', '127.0.0.1', '-P', String(port), '-u', 'root', '-e', 'CREATE DATABASE app']);
  } catch (error) {
    child?.kill('SIGKILL');
    if (child) await exited(child);
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  const running = child;
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `mysql://root@127.0.0.1:${port}/app`,
    stop() {
      stopped ??= (async () => {
        running.kill('SIGKILL');
        await exited(running);
        await rm(folder, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Starts mariadbd and resolves once it accepts connections ("ready for connections" on stderr). */
async function launch(args: string[]): Promise<ChildProcess> {
  const child = spawn(MARIADBD, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += String(chunk);
      if (seen.includes('ready for connections')) {
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`mariadbd exited (${code}) before it was ready: ${seen.slice(-800)}`));
    child.stderr!.on('data', onData);
    child.stdout!.resume();
    child.once('exit', onExit);
  });
  return child;
}
