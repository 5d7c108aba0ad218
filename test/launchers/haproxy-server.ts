/**
 * A throwaway haproxy for tests and benchmarks: `haproxy.cfg` beside this file (HTTP mode,
 * round-robin, each backend health-checked on `/healthz`, retries and redispatch so a backend
 * that is down is skipped), with the given loopback backends and a free loopback port.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, freePort, requireExecutable } from './free-port.js';

const HAPROXY = '/usr/sbin/haproxy';

/** A running haproxy. */
export interface HaproxyServer {
  readonly port: number;
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts haproxy in front of `backends` (ports on 127.0.0.1). Fails at once, naming the `apt-get`
 * line, when haproxy is missing.
 *
 * @example
 * const balancer = await startHaproxy([8081, 8082, 8083]);
 * await fetch(`${balancer.url}/healthz`);
 * await balancer.stop();
 */
export async function startHaproxy(backends: readonly number[]): Promise<HaproxyServer> {
  requireExecutable(HAPROXY, 'haproxy', 'haproxy');
  const folder = await mkdtemp(join(tmpdir(), 'chartio-haproxy-'));
  const port = await freePort();
  // The shared part (quoted in the README), then this run's backends and port.
  const template = await readFile(new URL('./haproxy.cfg', import.meta.url), 'utf8');
  const config = [
    template.trimEnd(),
    ...backends.map((backend, index) => `  server host${index + 1} 127.0.0.1:${backend} check inter 500ms fall 2 rise 1`),
    '',
    'frontend web',
    `  bind 127.0.0.1:${port}`,
    '  default_backend hosts',
    '',
  ].join('\n');
  const file = join(folder, 'haproxy.cfg');
  await writeFile(file, config);
  try {
    const running = await runHaproxy(file, port);
    let stopped: Promise<void> | undefined;
    return {
      ...running,
      stop() {
        stopped ??= running.stop().then(() => rm(folder, { recursive: true, force: true }));
        return stopped;
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Runs haproxy with the configuration `file` as it is, `env` added to its environment (the
 * `"${NAME}"` values a file may read), and resolves once `port` (which the file binds) accepts
 * connections.
 *
 * @example
 * const balancer = await runHaproxy('examples/haproxy/haproxy.cfg', port, { LISTEN: `127.0.0.1:${port}`, HOST1: '127.0.0.1:8081' });
 */
export async function runHaproxy(file: string, port: number, env: Readonly<Record<string, string>> = {}): Promise<HaproxyServer> {
  requireExecutable(HAPROXY, 'haproxy', 'haproxy');
  const child: ChildProcess = spawn(HAPROXY, ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += String(chunk)));
  try {
    await listening(port, child, () => errors);
  } catch (error) {
    child.kill('SIGKILL');
    await exited(child);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop() {
      stopped ??= (async () => {
        child.kill('SIGKILL');
        await exited(child);
      })();
      return stopped;
    },
  };
}

/** Resolves once `port` accepts connections; haproxy says nothing when it is ready. */
async function listening(port: number, child: ChildProcess, errors: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}): ${errors().slice(-1000)}`);
    const socket = connect(port, '127.0.0.1');
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    socket.destroy();
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${port}: ${errors().slice(-1000)}`);
    // A process starting up: nothing to wait on but time, briefly.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
