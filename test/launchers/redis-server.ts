/**
 * A throwaway Redis for tests and benchmarks: `redis-server` on a free loopback port, with no
 * persistence and a memory bound (unless asked for none), stopped (or killed, to play an outage)
 * by the test.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { exited, freePort, requireExecutable } from './free-port.js';

const REDIS = '/usr/bin/redis-server';

/** A running Redis. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:{port}` */
  readonly url: string;
  /** Kills it at once (SIGKILL): what an outage looks like to its clients. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it (idempotent). */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface RedisServerOptions {
  /** Start without `maxmemory` (as a Redis left at its defaults runs), for the host's warning about it. */
  unbounded?: boolean;
}

/**
 * Starts Redis on a free port. Fails at once, naming the `apt-get` line, when `redis-server` is
 * missing.
 *
 * @example
 * const redis = await startRedis();
 * // … createRedisCache({ url: redis.url }) …
 * await redis.stop();
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  requireExecutable(REDIS, 'redis-server', 'Redis');
  const port = await freePort();
  const bound = options.unbounded ? [] : ['--maxmemory', '64mb', '--maxmemory-policy', 'volatile-ttl'];
  let child = await launch(port, bound);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      await exited(child);
      child = await launch(port, bound);
    },
    async stop() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}

/** Starts redis-server and resolves once it accepts connections. */
async function launch(port: number, bound: string[]): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...bound, '--loglevel', 'notice'];
  const child = spawn(REDIS, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += String(chunk);
      if (seen.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.resume();
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${seen.slice(-500)}`)));
  });
  return child;
}
