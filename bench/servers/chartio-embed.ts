// The token endpoint as chartio-embed ships it: createTokenHandler through toNodeHandler on node:http.
import { createServer } from 'node:http';
import { createEmbedSigner, createTokenHandler, toNodeHandler } from '../../src/server/index.js';
import { BENCH_SECRET, ORGANIZATION, DASHBOARD, accountFromCookie, announce } from './session.js';

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
