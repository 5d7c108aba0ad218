/**
 * Starting a test's own server on a free loopback port: the one way every test does it.
 * @module
 */
import { once } from 'node:events';
import type { Server } from 'node:net';

/** Where a server started by {@link listenLocal} listens. */
export interface LocalAddress {
  port: number;
  /** `http://127.0.0.1:{port}`. */
  origin: string;
}

/**
 * Listens with `server` (from `node:http`, `node:http2` or `node:net`) on 127.0.0.1, on a port
 * the kernel picks (or on `port`: a server that comes back where it was, after a test stopped
 * it), and resolves once it listens. Rejects with the server's error when it cannot (a listener
 * never hangs on a failed listen). Closing it stays the caller's job.
 *
 * @example
 * const server = createServer(toNodeHandler(handler));
 * const { origin } = await listenLocal(server);
 * after(() => server.close());
 * await fetch(`${origin}/embed-token`, { method: 'POST', body: '{"dashboard":1}' });
 */
export async function listenLocal(server: Server, port = 0): Promise<LocalAddress> {
  server.listen(port, '127.0.0.1');
  // `once` rejects on an 'error' event: a port that cannot be had fails the test at once.
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server listens, but on no TCP port');
  return { port: address.port, origin: `http://127.0.0.1:${address.port}` };
}
