/**
 * Token endpoint throughput on loopback: chartio-embed's handler through toNodeHandler (its Node
 * entry, node:crypto; and its default entry, Web Crypto) against the seed's Express +
 * jsonwebtoken way and a bare node:http + createHmac floor. Each server runs in its own process;
 * autocannon sends from this one, to 127.0.0.1 only, for a bounded time.
 *
 * Besides req/s it prints each server's own CPU time per request (read inside the server process,
 * servers/cpu-probe.ts) for the floor, Express and chartio-embed, taking turns over a fixed number
 * of requests: req/s moves with whatever else the shared machine runs, CPU per request much less,
 * so the goals can be judged on a loaded machine too.
 * @module
 */
import autocannon from 'autocannon';
import { formatNumber, median, printTable, type Row } from './format.js';
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

/** How each server is loaded: for a time (req/s) or for a fixed number of requests (CPU). */
type Amount = { seconds: number } | { requests: number };

function load(port: number, amount: Amount, distinct: boolean): Promise<autocannon.Result> {
  let counter = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/embed-token`,
    connections: 50,
    ...('seconds' in amount ? { duration: amount.seconds } : { amount: amount.requests }),
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

/** The servers whose CPU per request is compared, and how many requests each gets per round. */
const CPU_SERVERS: ReadonlyArray<[name: string, requests: number]> = [
  [FLOOR, 6_000],
  [EXPRESS, 1_000],
  [OURS, 6_000],
];
const CPU_ROUNDS = 5;

/**
 * Each server's own CPU time per request (servers/cpu-probe.ts): the three servers run side by
 * side and take turns, round after round, each round a fixed number of requests, so a neighbour's
 * burst of work weighs on all of them alike; the median round counts.
 */
async function cpuPerRequest(distinct: boolean): Promise<Row[]> {
  const servers = await Promise.all(
    CPU_SERVERS.map(([name]) => {
      const [file, ...args] = SERVERS[name]!;
      return spawnServer(file, args);
    }),
  );
  try {
    for (const server of servers) await load(server.port, { requests: 1_000 }, distinct); // warm-up
    const rounds: number[][] = CPU_SERVERS.map(() => []);
    for (let round = 0; round < CPU_ROUNDS; round++) {
      for (const [i, server] of servers.entries()) {
        const before = await server.cpu();
        const result = await load(server.port, { requests: CPU_SERVERS[i]![1] }, distinct);
        const after = await server.cpu();
        if (result.errors + result.timeouts + result.non2xx > 0) throw new Error(`${CPU_SERVERS[i]![0]} failed requests while measuring CPU`);
        rounds[i]!.push((after.cpuMicros - before.cpuMicros) / (after.requests - before.requests));
      }
    }
    return CPU_SERVERS.map(([name, requests], i) => ({
      name,
      value: median(rounds[i]!),
      unit: 'µs/req',
      extra: { rounds: `${CPU_ROUNDS} × ${requests} requests`, spread: `${formatNumber(Math.min(...rounds[i]!))}–${formatNumber(Math.max(...rounds[i]!))}` },
    }));
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
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
        await load(port, { seconds: 1 }, distinct); // warm-up
        const result = await load(port, { seconds }, distinct);
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
    const cpuRows = await cpuPerRequest(distinct);
    printTable(`Token endpoint, server CPU per request (median of ${CPU_ROUNDS} interleaved rounds, ${mode})`, cpuRows, {
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
