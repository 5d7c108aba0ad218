// The token endpoint as bench/servers/chartio-embed.ts serves it (node:crypto entry, through
// toNodeHandler), signing with the algorithm given as the argument: HS256 (the Embed Secret),
// ES256 or EdDSA (a private key made at start), so the three differ in the signature only.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { createEmbedSigner, createTokenHandler, toNodeHandler } from '../../src/server/node/index.js';
import { BENCH_SECRET, ORGANIZATION, DASHBOARD, accountFromCookie, announce } from './session.js';

const alg = process.argv[2] ?? 'HS256';
const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : alg === 'EdDSA' ? generateKeyPairSync('ed25519') : undefined;
const key = pair === undefined ? { secret: BENCH_SECRET } : { privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, kid: 'bench' };
const signer = createEmbedSigner({ ...key, organization: ORGANIZATION, baseUrl: 'http://127.0.0.1:8081/d/{dashboard}' });
const handler = createTokenHandler({
  signer,
  dashboards: [DASHBOARD],
  filters: ['DATE_RANGE', 'USER_ID'],
  lockedEnv: (request) => {
    const account = accountFromCookie(request.headers.get('cookie'));
    return account === null ? null : { ACCT_ID: account };
  },
});
announce(createServer(toNodeHandler(handler)));
