/**
 * What the server helpers share: a free loopback port, the "install this package" failure, and
 * waiting for a child process to exit.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { listenLocal } from './listen-local.js';

/**
 * A TCP port free on 127.0.0.1 right now: the kernel picks it for a listener that is closed at
 * once. (Another process could take it before the server starts; on a test machine that is rare,
 * and the server then fails to start with a clear message rather than silently.)
 *
 * @example
 * const port = await freePort();
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  const { port } = await listenLocal(server);
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Throws at once, with the exact command that installs `debianPackage`, when `executable` is
 * not there: a test that needs a real server fails in its first second, not after a timeout.
 *
 * @example
 * requireExecutable('/usr/bin/redis-server', 'redis-server', 'Redis');
 */
export function requireExecutable(executable: string, debianPackage: string, what: string): void {
  if (!existsSync(executable)) {
    throw new Error(`${what} is not installed (${executable} is missing). Install it with: sudo apt-get install -y ${debianPackage}`);
  }
}

/**
 * Runs a command to its end and resolves to its output; rejects with the command's stderr when
 * it fails.
 *
 * @example
 * await runCommand('redis-cli', ['-p', '6379', 'ping']); // 'PONG\n'
 */
export async function runCommand(command: string, args: readonly string[]): Promise<string> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code}): ${err.trim() || out.trim()}`);
  return out;
}

/**
 * Resolves when `child` has exited (at once if it has already).
 *
 * @example
 * child.kill('SIGKILL'); await exited(child);
 */
export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}
