/**
 * Public-key tokens beside HS256: signing and verifying ES256 and EdDSA, µs each on both crypto
 * paths (node:crypto, what Node gets; Web Crypto, what edge runtimes get) as ratios to HS256 on
 * node:crypto, and the token endpoint's req/s signing each (its own process per algorithm,
 * autocannon from this one, distinct filters so every request signs). Short runs: `npm run bench
 * -- keys`.
 * @module
 */
import { generateKeyPairSync } from 'node:crypto';
import autocannon from 'autocannon';
import * as nodeEntry from '../src/server/node/index.js';
import * as webEntry from '../src/server/index.js';
import { median, printTable, type Row } from './format.js';
import { spawnServer } from './spawn-server.js';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const ORGANIZATION = 16417;
const DASHBOARD = 38727;
const IN_FLIGHT = 64;
type Alg = 'HS256' | 'ES256' | 'EdDSA';
const ALGS: readonly Alg[] = ['HS256', 'ES256', 'EdDSA'];

/** Signing and verifying options for `alg`: the secret, or a fresh key pair's two halves. */
function keysFor(alg: Alg) {
  if (alg === 'HS256') return { sign: { secret: SECRET }, verify: { secret: SECRET } };
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    sign: { privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, kid: 'bench' },
    verify: { keys: [{ kid: 'bench', publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string }] },
  };
}

/** µs per operation over `count` operations, `IN_FLIGHT` at a time; median of `rounds`. */
async function measure(count: number, rounds: number, op: (i: number) => unknown): Promise<number> {
  const samples: number[] = [];
  let offset = 0;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i += IN_FLIGHT) {
      const batch: unknown[] = [];
      for (let j = i; j < Math.min(count, i + IN_FLIGHT); j++) batch.push(op(offset + j));
      await Promise.all(batch);
    }
    offset += count;
    samples.push(Number(process.hrtime.bigint() - start) / 1000 / count);
  }
  return median(samples);
}

/**
 * Runs the sign and verify micro-benchmarks and the endpoint run, printing three tables.
 * @example
 * await benchPublicKeys(); // "## Signing by algorithm", "## Verifying by algorithm", "## Token endpoint by algorithm"
 */
export async function benchPublicKeys(count = 4_000, rounds = 3, seconds = 3): Promise<void> {
  const signRows: Row[] = [];
  const verifyRows: Row[] = [];
  for (const [path, entry] of [['node:crypto', nodeEntry], ['Web Crypto', webEntry]] as const) {
    for (const alg of ALGS) {
      const keys = keysFor(alg);
      const signer = entry.createEmbedSigner({ ...keys.sign, organization: ORGANIZATION });
      const verifier = entry.createEmbedVerifier({ ...keys.verify, organization: ORGANIZATION } as Parameters<typeof entry.createEmbedVerifier>[0]);
      // Distinct env per token: the reuse memo never answers, every call signs.
      const sign = (i: number) => signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: String(i) } });
      await measure(500, 1, (i) => sign(-1 - i)); // warm-up: JIT, key import
      signRows.push({ name: `${alg}, ${path}`, value: await measure(count, rounds, sign), unit: 'µs/sign' });
      const tokens = await Promise.all(Array.from({ length: count }, (_, i) => sign(1e6 + i).then((answer) => answer.token)));
      await measure(500, 1, (i) => verifier.verify(tokens[i % count]!));
      verifyRows.push({ name: `${alg}, ${path}`, value: await measure(count, rounds, (i) => verifier.verify(tokens[i % count]!)), unit: 'µs/verify' });
    }
  }
  const options = { higherIsBetter: false } as const;
  printTable(`Signing by algorithm (${IN_FLIGHT} in flight, median of ${rounds})`, signRows, { ...options, baseline: 'HS256, node:crypto' });
  printTable(`Verifying by algorithm (${IN_FLIGHT} in flight, median of ${rounds})`, verifyRows, { ...options, baseline: 'HS256, node:crypto' });

  const endpointRows: Row[] = [];
  for (const alg of ALGS) {
    const { port, stop } = await spawnServer('chartio-embed-keys.ts', [alg]);
    try {
      await load(port, 1); // warm-up
      const result = await load(port, seconds);
      endpointRows.push({
        name: `${alg} endpoint`,
        value: result.requests.average,
        unit: 'req/s',
        extra: { p50: `${result.latency.p50} ms`, p99: `${result.latency.p99} ms`, errors: result.errors + result.timeouts + result.non2xx },
      });
    } finally {
      await stop();
    }
  }
  printTable(`Token endpoint by algorithm, 50 connections, ${seconds} s, 127.0.0.1, distinct filters`, endpointRows, { baseline: 'HS256 endpoint', higherIsBetter: true });
}

function load(port: number, seconds: number): Promise<autocannon.Result> {
  let counter = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}/embed-token`,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'acct=42' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ dashboard: DASHBOARD, filters: { USER_ID: String(counter++) } }) }),
      },
    ],
  });
}
