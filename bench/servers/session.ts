/**
 * What every benchmark endpoint does alike: read the session's account from a cookie, the way a
 * host app's session middleware would, so all of them do the same work per request.
 * @module
 */
import { answerCpuProbes } from './cpu-probe.js';

export const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
export const ORGANIZATION = 16417;
export const DASHBOARD = 38727;

/** `acct=42; other=x` → `'42'`, or null when there is no session. */
export function accountFromCookie(cookie: string | null | undefined): string | null {
  const match = /(?:^|;\s*)acct=([^;]+)/.exec(cookie ?? '');
  return match ? decodeURIComponent(match[1]!) : null;
}

/**
 * Prints the port the parent waits for, once the server listens on 127.0.0.1, and answers the
 * parent's CPU probes (cpu-probe.ts).
 */
export function announce(server: import('node:http').Server): void {
  answerCpuProbes(server);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') console.log(`PORT ${address.port}`);
  });
}
