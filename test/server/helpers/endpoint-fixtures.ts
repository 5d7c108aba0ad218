/**
 * A real token endpoint for the endpoint tests: a real signer (jose, fixed clock), a session read
 * from a cookie, and the answers' invariants (no-store, JSON, no stack, no secret) checked on
 * every answer.
 * @module
 */
import assert from 'node:assert/strict';
import { createEmbedSigner } from '../../../src/server/signer.js';
import { createTokenHandler, type TokenHandler } from '../../../src/server/token-handler.js';
import type { EmbedRequest, TokenHandlerOptions } from '../../../src/server/types.js';
import { verifyEmbedToken } from '../../../src/server/verify.js';
import type { EmbedClaims } from '../../../src/protocol/index.js';

export const SECRET = 'endpoint-test-secret-0123456789-abcdefghijklmnop';
export const ORGANIZATION = 16417;
export const DASHBOARD = 38727;
export const OTHER_DASHBOARD = 100;
export const BASE_URL = 'https://dash.example.test/d/{dashboard}';
/** 2026-01-01T00:00:00Z: every signer and verifier in these tests reads this clock. */
export const NOW_MS = Date.UTC(2026, 0, 1);
export const now = (): number => NOW_MS;

/** Text the throwing session puts in its error, which must never reach a client. */
export const HIDDEN_DETAIL = 'db-password=hunter2';

/**
 * The session, from the `session` cookie: `acct-7` → `{ ACCT_ID: '7' }`, `boom` → throws (an
 * unexpected server error), anything else or none → no session (401).
 */
export function sessionFromCookie(request: EmbedRequest): { ACCT_ID: string } | null {
  const cookie = request.headers.get('cookie') ?? '';
  const match = /(?:^|;\s*)session=([^;]*)/.exec(cookie);
  const value = match?.[1];
  if (value === 'boom') throw new Error(`session store unreachable (${HIDDEN_DETAIL}, secret ${SECRET})`);
  const account = value === undefined ? undefined : /^acct-(\d+)$/.exec(value)?.[1];
  return account === undefined ? null : { ACCT_ID: account };
}

export interface Fixture {
  handler: TokenHandler;
  /** Everything passed to `onError`, in order. */
  errors: Array<{ error: unknown; request: EmbedRequest }>;
}

/** The endpoint most tests use; `overrides` replace single options. */
export function createFixture(overrides: Partial<TokenHandlerOptions> = {}): Fixture {
  const errors: Fixture['errors'] = [];
  const signer = createEmbedSigner({ secret: SECRET, organization: ORGANIZATION, baseUrl: BASE_URL, now });
  const handler = createTokenHandler({
    signer,
    dashboards: [DASHBOARD, OTHER_DASHBOARD],
    filters: ['DATE_RANGE', 'USER_ID'],
    lockedEnv: sessionFromCookie,
    onError: (error, request) => errors.push({ error, request }),
    ...overrides,
  });
  return { handler, errors };
}

/** Verifies a token the endpoint issued, with the same clock and secret. */
export function verify(token: string, dashboard = DASHBOARD): Promise<EmbedClaims> {
  return verifyEmbedToken(token, { secret: SECRET, organization: ORGANIZATION, dashboard, now });
}

/** One answer as the tests see it, whatever carried it. */
export interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

/**
 * Checks what every answer must have: `Cache-Control: no-store`, a JSON content type, a body
 * that parses, and neither a stack trace nor the secret nor the hidden detail in it.
 */
export function assertAnswerInvariants(answer: Answer): unknown {
  assert.equal(answer.headers.get('cache-control'), 'no-store', 'every answer is no-store');
  assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.doesNotMatch(answer.text, /\bat \S+ \(|\bat (?:file|node):|\.ts:\d+:\d+/, 'no stack frame in the body');
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

/** Asserts a 200 answer, verifies its token and returns the claims and the answer's fields. */
export async function assertToken(
  answer: Answer,
  dashboard = DASHBOARD,
): Promise<{ claims: EmbedClaims; token: string; expiresAt: number; url: string }> {
  const body = assertAnswerInvariants(answer) as { token: string; expiresAt: number; url: string };
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'token', 'url']);
  const claims = await verify(body.token, dashboard);
  assert.equal(claims.exp, body.expiresAt);
  assert.equal(body.url, `https://dash.example.test/d/${dashboard}/?embed_token=${body.token}`);
  return { claims, ...body };
}
