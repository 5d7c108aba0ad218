/**
 * The token endpoint's typing: `lockedEnv` may return numbers wherever the signer accepts them
 * (issue 18 item 7), as the session gives them (`{ ACCT_ID: 42 }` signs `"42"`); what the signer
 * refuses stays a type error.
 */
import { createEmbedSigner, createTokenHandler, type EnvInput } from 'chartio-embed/server';

declare const session: { accountId: number; regions: number[]; plan: string } | undefined;
const signer = createEmbedSigner({ organization: 16417, secret: 'a'.repeat(40) });

createTokenHandler({
  signer,
  dashboards: [38727],
  filters: ['USER_ID'],
  lockedEnv: () => (session ? { ACCT_ID: session.accountId, REGIONS: session.regions, PLAN: session.plan } : null),
});
createTokenHandler({ signer, dashboards: [38727], filters: [], lockedEnv: async () => ({ ACCT_ID: 42, MIXED: [1, 'two'] }) });
const locked: EnvInput = { ACCT_ID: 7 };
void locked;
void signer.sign({ dashboard: 38727, env: { ACCT_ID: 42 } });

// @ts-expect-error -- a boolean is no Hidden Variable value
createTokenHandler({ signer, dashboards: [38727], filters: [], lockedEnv: () => ({ ADMIN: true }) });
// @ts-expect-error -- nor is a nested object
createTokenHandler({ signer, dashboards: [38727], filters: [], lockedEnv: () => ({ ACCT: { id: 1 } }) });
