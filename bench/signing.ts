/**
 * HS256 signing throughput: our signer on both crypto paths (node:crypto, what the package's
 * `node` condition selects, and Web Crypto, for edge runtimes), with distinct payloads and a
 * repeated payload served by the reuse memo, against a raw `node:crypto` HMAC floor and jose with
 * a raw secret, in one run.
 * @module
 */
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { createEmbedSigner } from '../src/server/node/index.js';
import { createEmbedSigner as createWebCryptoSigner } from '../src/server/index.js';
import { median, printTable, type Row } from './format.js';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const ORGANIZATION = 16417;
const DASHBOARD = 38727;
const IN_FLIGHT = 64;
const HEADER = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');

function payload(i: number) {
  const now = Math.floor(Date.now() / 1000);
  return { organization: ORGANIZATION, dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: String(i) }, iat: now, exp: now + 86_400 };
}

/** The floor: exactly the bytes a JWT needs, hashed by node:crypto, nothing else. */
function floorSign(i: number): string {
  const body = Buffer.from(JSON.stringify(payload(i))).toString('base64url');
  const input = `${HEADER}.${body}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
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
 * Runs the signing benchmark and prints its table.
 * @example
 * await benchSigning(); // prints "## HS256 signing" with ratios to the createHmac floor
 */
export async function benchSigning(count = 20_000, rounds = 5): Promise<void> {
  const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION });
  const webSigner = createWebCryptoSigner({ secret: SECRET, organization: ORGANIZATION });
  const rawKey = new TextEncoder().encode(SECRET);
  const repeated = { dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: '7' } };
  // Warm up every path (JIT, key import, memo) before measuring.
  await measure(2_000, 1, (i) => floorSign(i));
  await measure(2_000, 1, (i) => signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: String(-i) } }));
  await measure(2_000, 1, () => signer.sign(repeated));
  await measure(2_000, 1, (i) => webSigner.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: String(-i) } }));

  const rows: Row[] = [
    { name: 'floor: createHmac', value: await measure(count, rounds, (i) => floorSign(i)), unit: 'µs/token' },
    {
      name: 'chartio-embed, distinct payloads',
      value: await measure(count, rounds, (i) => signer.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '1', USER_ID: String(i) } })),
      unit: 'µs/token',
    },
    { name: 'chartio-embed, repeated payload', value: await measure(count, rounds, () => signer.sign(repeated)), unit: 'µs/token' },
    {
      name: 'chartio-embed on Web Crypto, distinct payloads',
      value: await measure(count, rounds, (i) => webSigner.sign({ dashboard: DASHBOARD, env: { ACCT_ID: '2', USER_ID: String(i) } })),
      unit: 'µs/token',
    },
    {
      name: 'jose SignJWT, raw secret',
      value: await measure(count / 4, rounds, (i) =>
        new SignJWT(payload(i)).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(rawKey)),
      unit: 'µs/token',
    },
  ];
  printTable(`HS256 signing (${IN_FLIGHT} in flight, median of ${rounds})`, rows, {
    baseline: 'floor: createHmac',
    higherIsBetter: false,
    targets: {
      'chartio-embed, distinct payloads': { ratio: 8, label: '≤ 8×' },
      'chartio-embed, repeated payload': { ratio: 2, label: '≤ 2×' },
    },
  });
}
