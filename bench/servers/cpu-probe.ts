/**
 * Lets the benchmark read a server's own CPU time: on a machine shared with other work, req/s
 * swings with the neighbours' load, while CPU time per request, read inside the server process,
 * holds. Answers each `'cpu'` message from the parent (spawn-server.ts's `cpu()`) with the
 * process's user + system CPU time so far (all its threads: GC and the thread pool count too) and
 * how many requests it has been handed.
 * @module
 */
import type { Server } from 'node:http';

/** What the probe answers: the process's CPU microseconds so far and the requests seen. */
export interface CpuReading {
  readonly cpuMicros: number;
  readonly requests: number;
}

/**
 * Counts `server`'s requests and answers the parent's `'cpu'` messages, when there is an IPC
 * channel (spawned by spawn-server.ts); otherwise does nothing.
 *
 * @example
 * answerCpuProbes(server); // then the parent: await spawned.cpu()
 */
export function answerCpuProbes(server: Server): void {
  if (process.send === undefined) return;
  let requests = 0;
  server.on('request', () => {
    requests++;
  });
  process.on('message', (message) => {
    if (message !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMicros: user + system, requests } satisfies CpuReading);
  });
  // The channel must not keep a server alive that would otherwise end.
  process.channel?.unref();
}
