/**
 * Token endpoint throughput on loopback: chartio-embed's handler through toNodeHandler (its Node
 * entry, node:crypto; and its default entry, Web Crypto) against the seed's Express +
 * jsonwebtoken way and a bare node:http + createHmac floor. Each server runs in its own process;
 * autocannon sends from this one, to 127.0.0.1 only, for a bounded time.
 *
 * Besides req/s it prints each server's own CPU time per request (read inside the server process
 * around the timed run, servers/cpu-probe.ts): req/s moves with whatever else the shared machine
 * runs, CPU per request much less, so the goals can be judged on a loaded machine too.
 * @module
 */
import autocannon from 'autocannon';
import { printTable, type Row } from './format.js';
import { spawnServer } from './spawn-server.js';

const OURS = 'chartio-embed toNodeHandler (node:crypto)';
const FLOOR = 'floor: node:http + createHmac';
const EXPRESS = 'Express 5 + jsonwebtoken (seed, naive)';
const SERVERS: Record<string, [file: string, ...args: string[]]> = {
  [FLOOR]: ['floor.ts'],
  [EXPRESS]: ['express-jsonwebtoken.ts'],
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
    const cpuRows: Row[] = [];
    for (const [name, [file, ...args]] of Object.entries(SERVERS)) {
      const server = await spawnServer(file, args);
      try {
        await load(server.port, 1, distinct); // warm-up
        const before = await server.cpu();
        const result = await load(server.port, seconds, distinct);
        const after = await server.cpu();
        const failures = result.errors + result.timeouts + result.non2xx;
        rows.push({
          name,
          value: result.requests.average,
          unit: 'req/s',
          extra: { p50: `${result.latency.p50} ms`, p99: `${result.latency.p99} ms`, errors: failures },
        });
        const served = after.requests - before.requests;
        cpuRows.push({ name, value: (after.cpuMicros - before.cpuMicros) / served, unit: 'µs/req', extra: { requests: served } });
      } finally {
        await server.stop();
      }
    }
    const mode = distinct ? 'distinct filters per request' : 'one repeated filter set';
    printTable(`Token endpoint, 50 connections, ${seconds} s, 127.0.0.1 (${mode})`, rows, {
      baseline: EXPRESS,
      higherIsBetter: true,
      targets: { [OURS]: { ratio: 10, label: '≥ 10× Express' } },
    });
    const ours = rows.find((row) => row.name === OURS)!;
    const floor = rows.find((row) => row.name === FLOOR)!;
    const share = ours.value / floor.value;
    console.log(`chartio-embed ÷ floor: ${(share * 100).toFixed(0)}% (target ≥ 60%) ${share >= 0.6 ? '✓' : '✗'}; p99 ${ours.extra?.p99} (target < 15 ms)`);

    // The same goals in CPU time: holding 60 % of the floor's req/s on a busy CPU means spending at
    // most 1/0.6 of its CPU per request; 10× Express, a tenth of Express's.
    printTable(`Token endpoint, server CPU per request (same runs, ${mode})`, cpuRows, {
      baseline: FLOOR,
      higherIsBetter: false,
      targets: { [OURS]: { ratio: 1 / 0.6, label: '≤ 1.67× floor (≥ 60 %)' } },
    });
    const oursCpu = cpuRows.find((row) => row.name === OURS)!.value;
    const floorCpu = cpuRows.find((row) => row.name === FLOOR)!.value;
    const expressCpu = cpuRows.find((row) => row.name === EXPRESS)!.value;
    const cpuShare = floorCpu / oursCpu;
    const cpuTimes = expressCpu / oursCpu;
    console.log(
      `chartio-embed by CPU: ${(cpuShare * 100).toFixed(0)}% of the floor (target ≥ 60%) ${cpuShare >= 0.6 ? '✓' : '✗'}; ` +
        `${cpuTimes.toFixed(1)}× Express (target ≥ 10×) ${cpuTimes >= 10 ? '✓' : '✗'}`,
    );
  }
}
