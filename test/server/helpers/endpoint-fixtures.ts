/**
 * The one endpoint configuration every implementation under test is given (TypeScript over each
 * transport, and the Python, Ruby and PHP examples), the TypeScript fixture built from it, and
 * the assertions every answer must pass: no-store, JSON, nosniff, no stack, no secret; a token
 * in the protocol's exact layout that the project's verifier accepts.
 * @module
 */
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createTokenHandler, reuseWindowSeconds, verifyEmbedToken } from '../../../src/server/index.js';
import type { EmbedClaims, EmbedRequest, TokenHandler, TokenHandlerOptions } from '../../../src/server/index.js';
import { WEB_API, type ServerApi } from './server-apis.js';

export const SECRET = 'endpoint-test-secret-0123456789-abcdefghijklmnop';

/**
 * The ES256 key pair every implementation signs with in the public-key part of the contract
 * (made once per test process; the examples get the private key through their environment).
 */
export const ES256_KEY = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid: 'es256-2026',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
})();

/**
 * The Ed25519 key pair every implementation signs EdDSA with (made once per test process, like
 * {@link ES256_KEY}). Ed25519 is deterministic: the same request gives the same token everywhere.
 */
export const EDDSA_KEY = (() => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    kid: 'eddsa-2026',
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
})();
export const ORGANIZATION = 16417;
export const DASHBOARD = 38727;
export const OTHER_DASHBOARD = 100;
export const DASHBOARDS = [DASHBOARD, OTHER_DASHBOARD];
export const FILTERS = ['DATE_RANGE', 'USER_ID'];
export const BASE_URL = 'https://dash.example.test/d/{dashboard}';
/** Sessions every implementation knows: cookie `session=acct-N` is account N. */
export const SESSIONS: ReadonlyMap<string, string> = new Map(Array.from({ length: 99 }, (_, i) => [`acct-${i + 1}`, String(i + 1)]));

/** 2026-01-01T00:00:00Z: the fixed clock of in-process endpoints (a round hour, so iat = now). */
export const NOW_MS = Date.UTC(2026, 0, 1);
/** The fixed clock. */
export const now = (): number => NOW_MS;

/** Text the throwing session puts in its error, which must never reach a client. */
export const HIDDEN_DETAIL = 'db-password=hunter2';

/** The session lookup every implementation does: the `session` cookie's id in {@link SESSIONS}. */
export function accountOf(cookie: string | null): string | undefined {
  const id = /(?:^|;\s*)session=([^;]*)/.exec(cookie ?? '')?.[1];
  return id === undefined ? undefined : SESSIONS.get(id);
}

/**
 * The TypeScript endpoint's session: `{ ACCT_ID }` from {@link accountOf}, `session=boom` throws
 * (an unexpected server error), anything else is no session (401).
 */
export function sessionFromCookie(request: EmbedRequest): { ACCT_ID: string } | null {
  const cookie = request.headers.get('cookie');
  if (/(?:^|;\s*)session=boom(?:;|$)/.test(cookie ?? '')) throw new Error(`session store unreachable (${HIDDEN_DETAIL}, secret ${SECRET})`);
  const account = accountOf(cookie);
  return account === undefined ? null : { ACCT_ID: account };
}

export interface Fixture {
  handler: TokenHandler;
  /** Everything passed to `onError`, in order. */
  errors: Array<{ error: unknown; request: EmbedRequest }>;
}

/**
 * The TypeScript endpoint configured like every other implementation; `overrides` replace single
 * options. The signer reads `clock` (the fixed one unless told) and signs through `api`'s crypto
 * (Web Crypto unless told).
 */
export function createFixture(
  overrides: Partial<TokenHandlerOptions> = {},
  { clock = now, api = WEB_API, kid, privateKey }: { clock?: () => number; api?: ServerApi; kid?: string; privateKey?: string } = {},
): Fixture {
  const errors: Fixture['errors'] = [];
  const key = privateKey === undefined ? { secret: SECRET } : { privateKey };
  const signer = api.createEmbedSigner({ ...key, organization: ORGANIZATION, baseUrl: BASE_URL, now: clock, ...(kid === undefined ? {} : { kid }) });
  const handler = createTokenHandler({
    signer,
    dashboards: DASHBOARDS,
    filters: FILTERS,
    lockedEnv: sessionFromCookie,
    onError: (error, request) => errors.push({ error, request }),
    ...overrides,
  });
  return { handler, errors };
}

/** Verifies a token the endpoint issued, with the fixture's secret and the given clock. */
export function verify(token: string, dashboard = DASHBOARD, clock: () => number = now): Promise<EmbedClaims> {
  return verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION, dashboard, now: clock });
}

/** One answer as the tests see it, whatever carried it. */
export interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

/**
 * Checks what every JSON answer must have: `Cache-Control: no-store`, a JSON content type,
 * `nosniff`, a body that parses, and neither a stack trace nor the secret nor the hidden detail.
 */
export function assertAnswerInvariants(answer: Answer): unknown {
  assert.equal(answer.headers.get('cache-control'), 'no-store', 'every answer is no-store');
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
  assert.doesNotMatch(answer.text, /\bat \S+ \(|\bat (?:file|node):|\.ts:\d+:\d+|\.(?:py|rb|php)"?,? line \d+/, 'no stack frame in the body');
  assert.ok(!answer.text.includes(SECRET), 'the secret never appears in an answer');
  assert.ok(!answer.text.includes(HIDDEN_DETAIL), 'an internal error detail never appears in an answer');
  return JSON.parse(answer.text);
}

/** Asserts an error answer with this status and code, and returns its message. */
export function assertError(answer: Answer, status: number, code: string): string {
  const body = assertAnswerInvariants(answer) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(answer.status, status, `status for ${code}: ${answer.text}`);
  assert.equal(body.error?.code, code, answer.text);
  assert.equal(typeof body.error?.message, 'string');
  assert.ok((body.error?.message as string).length > 10, 'the message says something a developer can act on');
  assert.deepEqual(Object.keys(body), ['error']);
  return body.error?.message as string;
}

/** The claims in the order every implementation writes them. */
const CLAIM_ORDER = ['organization', 'dashboard', 'env', 'iat', 'exp'];

export interface IssuedToken {
  claims: EmbedClaims;
  token: string;
  expiresAt: number;
  url: string;
  /** The answer it came in. */
  answer: Answer;
}

export interface TokenExpectations {
  /** The dashboard the token must be for (default {@link DASHBOARD}). */
  dashboard?: number;
  /** The lifetime it must have (default 24 h). */
  ttl?: number;
  /** The clock it was signed by (default the fixed one). */
  now?: () => number;
  /** The header's `kid`, when the signer has one. */
  kid?: string;
  /**
   * A fresh token (`"fresh": true`): `iat` is the second it was signed, not a reuse-window
   * boundary, and no earlier than this second.
   */
  issuedFrom?: number;
  /**
   * For a key-pair token: the public key it must verify with (under `kid`); its type says the
   * header's alg (EC P-256: ES256, Ed25519: EdDSA).
   */
  publicKey?: string;
}

/**
 * Asserts a 200 answer and everything a token must be: the header of its algorithm (keys sorted, as
 * every language writes them), claims in their fixed order with sorted env keys, `iat` on a
 * reuse-window boundary and not in the future, the lifetime asked for, the iframe URL, and a
 * signature the project's verifier accepts. With `issuedFrom`, a fresh token: `iat` between that
 * second and now.
 */
export async function assertToken(answer: Answer, expected: TokenExpectations = {}): Promise<IssuedToken> {
  const { dashboard = DASHBOARD, ttl = 86_400, now: clock = now, kid, issuedFrom, publicKey } = expected;
  const alg = publicKey === undefined ? 'HS256' : createPublicKey(publicKey).asymmetricKeyType === 'ed25519' ? 'EdDSA' : 'ES256';
  const body = assertAnswerInvariants(answer) as { token: string; expiresAt: number; url: string };
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'token', 'url']);
  const [header, payload] = body.token.split('.') as [string, string];
  const headerText = kid === undefined ? `{"alg":"${alg}","typ":"JWT"}` : `{"alg":"${alg}","kid":${JSON.stringify(kid)},"typ":"JWT"}`;
  assert.equal(Buffer.from(header, 'base64url').toString(), headerText);
  const written = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { env: object };
  assert.deepEqual(Object.keys(written), CLAIM_ORDER);
  assert.deepEqual(Object.keys(written.env), Object.keys(written.env).sort(), 'env keys sorted');
  const keys = publicKey !== undefined ? { keys: [{ kid: kid!, publicKey }] } : kid === undefined ? { secret: SECRET } : { keys: [{ kid, secret: SECRET }] };
  const claims = await verifyEmbedToken(body.token, { ...keys, organization: ORGANIZATION, dashboard, now: clock });
  assert.equal(claims.exp, body.expiresAt);
  assert.equal(claims.exp - claims.iat, ttl);
  if (issuedFrom === undefined) assert.equal(claims.iat % reuseWindowSeconds(ttl), 0, 'iat is rounded down to the reuse window');
  else assert.ok(claims.iat >= issuedFrom, `a fresh token is issued now: iat ${claims.iat} is before ${issuedFrom}`);
  assert.ok(claims.iat <= clock() / 1000);
  assert.equal(body.url, `https://dash.example.test/d/${dashboard}/?embed_token=${body.token}`);
  return { claims, ...body, answer };
}

/**
 * Runs `issue` and returns its tokens from one reuse window: on the real clock, if a window
 * boundary fell between them (at most once: windows here are a minute or more), it runs again.
 */
export async function twiceInOneWindow(issue: () => Promise<IssuedToken[]>): Promise<IssuedToken[]> {
  const first = await issue();
  if (new Set(first.map((token) => token.claims.iat)).size === 1) return first;
  return issue();
}
