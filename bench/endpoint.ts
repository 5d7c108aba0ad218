/**
 * Token endpoint throughput on loopback: chartio-embed's handler through toNodeHandler (its Node
 * entry, node:crypto; and its default entry, Web Crypto) against the seed's Express +
 * jsonwebtoken way and a bare node:http + createHmac floor. Each server runs in its own process;
 * autocannon sends from this one, to 127.0.0.1 only, for a bounded time.
 * @module
 */
import autocannon from 'autocannon';
import { printTable, type Row } from './format.js';
import { spawnServer } from './spawn-server.js';

const OURS = 'chartio-embed toNodeHandler (node:crypto)';
const FLOOR = 'floor: node:http + createHmac';
const SERVERS: Record<string, [file: string, ...args: string[]]> = {
  [FLOOR]: ['floor.ts'],
  'Express 5 + jsonwebtoken (seed, naive)': ['express-jsonwebtoken.ts'],
  'node:http + jose, no checks': ['jose-bare.ts'],
  [OURS]: ['chartio-embed.ts'],
  'chartio-embed toNodeHandler (Web Crypto)': ['chartio-embed.ts', 'web'],
};

async function load(port: number, seconds: number, distinct: boolean): Promise<autocannon.Result> {
  let counter = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/embed-token`,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'acct=42' },
        // Distinct filters per request: no reuse possible, every request signs a new token.
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ dashboard: 38727, filters: { USER_ID: distinct ? String(counter++) : '7', DATE_RANGE: ['2025-01-01', '2025-12-31'] } }),
        }),
      },
    ],
  });
}

/**
 * Runs the endpoint benchmark and prints its tables.
 * @example
 * await benchEndpoint(5); // 5 s per server and mode, 50 connections
 */
export async function benchEndpoint(seconds = 5): Promise<void> {
  for (const distinct of [true, false]) {
    const rows: Row[] = [];
    for (const [name, [file, ...args]] of Object.entries(SERVERS)) {
      const { port, stop } = await spawnServer(file, args);
      try {
        await load(port, 1, distinct); // warm-up
        const result = await load(port, seconds, distinct);
        const failures = result.errors + result.timeouts + result.non2xx;
        rows.push({
          name,
          value: result.requests.average,
          unit: 'req/s',
          extra: { p50: `${result.latency.p50} ms`, p99: `${result.latency.p99} ms`, errors: failures },
        });
      } finally {
        await stop();
      }
    }
    printTable(
      `Token endpoint, 50 connections, ${seconds} s, 127.0.0.1 (${distinct ? 'distinct filters per request' : 'one repeated filter set'})`,
      rows,
      {
        baseline: 'Express 5 + jsonwebtoken (seed, naive)',
        higherIsBetter: true,
        targets: { [OURS]: { ratio: 10, label: '≥ 10× Express' } },
      },
    );
    const ours = rows.find((row) => row.name === OURS)!;
    const floor = rows.find((row) => row.name === FLOOR)!;
    const share = ours.value / floor.value;
    console.log(`chartio-embed ÷ floor: ${(share * 100).toFixed(0)}% (target ≥ 60%) ${share >= 0.6 ? '✓' : '✗'}; p99 ${ours.extra?.p99} (target < 15 ms)`);
  }
}
