// The token endpoint as chartio-embed ships it on Node: createTokenHandler through toNodeHandler
// on node:http, from the entry the package's `node` export condition selects (node:crypto). With
// the argument `web`, from the default entry instead (Web Crypto, what edge runtimes get).
import { createServer } from 'node:http';
import * as nodeEntry from '../../src/server/node/index.js';
import * as webEntry from '../../src/server/index.js';
import { BENCH_SECRET, ORGANIZATION, DASHBOARD, accountFromCookie, announce } from './session.js';

const { createEmbedSigner, createTokenHandler, toNodeHandler } = process.argv[2] === 'web' ? webEntry : nodeEntry;
const signer = createEmbedSigner({ secret: BENCH_SECRET, organization: ORGANIZATION, baseUrl: 'http://127.0.0.1:8081/d/{dashboard}' });
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
